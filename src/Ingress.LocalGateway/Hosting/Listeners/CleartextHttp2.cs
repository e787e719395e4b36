using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// HTTP/2 without TLS (prior knowledge, what plain-text gRPC clients speak) on a plain-text Gateway port, beside
/// HTTP/1.1, as Envoy's codec <c>AUTO</c> does on Istio's HTTP servers: a connection whose first bytes are the HTTP/2
/// preface is served as HTTP/2 (<c>ConnectionManagerUtility::determineNextProtocol</c>). Kestrel picks HTTP/1.1 for
/// every cleartext connection of an endpoint that allows both, because without ALPN it cannot tell; this middleware
/// tells it, by giving the connection the protocol ALPN would have given.
/// </summary>
internal static class CleartextHttp2
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>Connection middleware: looks at the first bytes (consuming none) and marks an HTTP/2 connection.</summary>
    public static ConnectionDelegate Detect(ConnectionDelegate next) => async connection =>
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var verdict = Classify(buffer);
            if (verdict is not null || result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                if (verdict == true)
                {
                    var marker = new PriorKnowledge();
                    connection.Features.Set<ITlsApplicationProtocolFeature>(marker);
                    // Kestrel only honours the protocol of a connection it believes is TLS; the request's scheme
                    // still comes from :scheme (the server allows alternate schemes), and nothing claims a
                    // certificate or a handshake.
                    connection.Features.Set<ITlsConnectionFeature>(marker);
                }

                break;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }

        await next(connection).ConfigureAwait(false);
    };

    // True: the preface; false: something else; null: too few bytes to tell yet.
    private static bool? Classify(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[Preface.Length];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(Preface.AsSpan(0, length)))
        {
            return false;
        }

        return length == Preface.Length ? true : null;
    }

    private sealed class PriorKnowledge : ITlsApplicationProtocolFeature, ITlsConnectionFeature
    {
        public ReadOnlyMemory<byte> ApplicationProtocol => SslApplicationProtocol.Http2.Protocol;

        public X509Certificate2? ClientCertificate { get; set; }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
            Task.FromResult<X509Certificate2?>(null);
    }
}

using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Runtime.Sidecar;

/// <summary>
/// The inbound side of the workload proxy, per connection, as Istio's inbound listener does it: the first byte tells a
/// TLS handshake (0x16) from plain text on the same port (Envoy's tls_inspector), and the workload port's
/// PeerAuthentication mode decides: STRICT closes plain-text connections, DISABLE closes TLS ones, PERMISSIVE takes
/// both. TLS is Istio mutual TLS: the proxy presents its current workload certificate and requires a client
/// certificate issued by the mesh CA.
/// </summary>
internal sealed partial class InboundConnectionMiddleware(
    Func<SidecarState> state, int workloadPort, WorkloadCertificate identity, X509Certificate2 root, ILogger logger)
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly Lock _gate = new();
    private volatile CachedContext? _context;

    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection => OnConnectionAsync(connection, next);

    private async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        ReadResult first;
        try
        {
            first = await input.ReadAtLeastAsync(1, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            return;
        }

        if (first.Buffer.IsEmpty)
        {
            input.AdvanceTo(first.Buffer.Start);
            return;
        }

        var isTls = first.Buffer.FirstSpan[0] == 0x16;
        input.AdvanceTo(first.Buffer.Start);
        var mode = state().PeerAuthentication.ModeForPort(workloadPort);
        if (!isTls)
        {
            if (mode == MtlsMode.Strict)
            {
                // Envoy finds no filter chain for plain text under STRICT and closes the connection without a reply.
                LogPlainTextRefused(logger, connection.RemoteEndPoint, workloadPort);
                connection.Abort(new ConnectionAbortedException("plain text refused: PeerAuthentication STRICT"));
                return;
            }

            await next(connection).ConfigureAwait(false);
            return;
        }

        if (mode == MtlsMode.Disable)
        {
            LogTlsRefused(logger, connection.RemoteEndPoint, workloadPort);
            connection.Abort(new ConnectionAbortedException("TLS refused: PeerAuthentication DISABLE"));
            return;
        }

        var original = connection.Transport;
        var ssl = new SslStream(new DuplexPipeStream(original), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
                timeout.CancelAfter(HandshakeTimeout);
                await ssl.AuthenticateAsServerAsync(ServerOptions(), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
            {
                LogHandshakeFailed(logger, connection.RemoteEndPoint, e.Message);
                connection.Abort(new ConnectionAbortedException("mutual TLS handshake failed", e));
                return;
            }

            var pipe = new StreamDuplexPipe(ssl);
            connection.Transport = pipe;
            connection.Features.Set<ITlsConnectionFeature>(new MeshTlsFeature((X509Certificate2)ssl.RemoteCertificate!));
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await pipe.Input.CompleteAsync().ConfigureAwait(false);
                await pipe.Output.CompleteAsync().ConfigureAwait(false);
                connection.Transport = original;
            }
        }
    }

    private SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = CurrentContext(),
        ClientCertificateRequired = true,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ApplicationProtocols = [SslApplicationProtocol.Http11],
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is X509Certificate2 peer && MeshClientTls.IsMeshPeer(peer, root, null),
    };

    // The certificate context is built once per issued certificate; a rotation makes the next handshake use the new
    // one while connections already open keep theirs.
    private SslStreamCertificateContext CurrentContext()
    {
        var current = identity.Current;
        var cached = _context;
        if (cached is not null && ReferenceEquals(cached.Certificate, current))
        {
            return cached.Context;
        }

        lock (_gate)
        {
            var context = SslStreamCertificateContext.Create(current, [], offline: true);
            _context = new CachedContext(current, context);
            return context;
        }
    }

    private sealed record CachedContext(X509Certificate2 Certificate, SslStreamCertificateContext Context);

    [LoggerMessage(EventId = LogEvents.SidecarPlainTextRefused, Level = LogLevel.Debug,
        Message = "Plain-text connection from {Peer} closed: port {Port} requires mutual TLS (PeerAuthentication STRICT)")]
    private static partial void LogPlainTextRefused(ILogger logger, EndPoint? peer, int port);

    [LoggerMessage(EventId = LogEvents.SidecarTlsRefused, Level = LogLevel.Debug,
        Message = "TLS connection from {Peer} closed: port {Port} accepts plain text only (PeerAuthentication DISABLE)")]
    private static partial void LogTlsRefused(ILogger logger, EndPoint? peer, int port);

    [LoggerMessage(EventId = LogEvents.SidecarHandshakeFailed, Level = LogLevel.Debug, Message = "Mutual TLS handshake with {Peer} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, EndPoint? peer, string reason);
}

using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>One HTTP/1 exchange written byte for byte over a fresh connection, read until the server closes it.</summary>
public static class RawExchange
{
    /// <summary>
    /// Sends the bytes as written and reads until the server closes the connection (at most 10 s); over TLS with ALPN
    /// http/1.1 (any server certificate accepted) when <paramref name="sni"/> is given.
    /// </summary>
    public static async Task<ExchangeReply> SendAsync(IPEndPoint address, string request, string? sni = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address);
        await using var stream = sni is null ? tcp.GetStream() : await Http11TlsAsync(tcp.GetStream(), sni);
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        var closed = false;
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0)
                {
                    closed = true;
                    break;
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            closed = true; // reset by the server after its answer
        }
        catch (OperationCanceledException)
        {
        }

        return ExchangeReply.Parse(Encoding.Latin1.GetString(received.ToArray()), closed);
    }

    /// <summary>TLS over <paramref name="stream"/> with ALPN http/1.1 and the given SNI; any server certificate is accepted.</summary>
    public static async Task<Stream> Http11TlsAsync(Stream stream, string sni)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        });
        return ssl;
    }
}

/// <summary>
/// What came back: the status line, the headers, the body (cut to Content-Length) and whether the server closed; and the
/// status line of every response on the connection (pipelined requests).
/// </summary>
public sealed record ExchangeReply(string StatusLine, IReadOnlyList<(string Name, string Value)> Headers, string Body, bool ClosedByServer)
{
    public IReadOnlyList<string> StatusLines { get; private init; } = [];

    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    public static ExchangeReply Parse(string text, bool closed)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end >= 0 ? text[..end] : text;
        var lines = head.Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
        var body = end >= 0 ? text[(end + 4)..] : "";
        var length = headers.Where(h => h.Item1.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Item2, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(-1);
        if (length >= 0 && body.Length > length)
        {
            body = body[..length];
        }
        else if (headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Item2.Equals("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }

        return new ExchangeReply(lines[0], headers, body, closed) { StatusLines = StatusLinesOf(text) };
    }

    // Walks the responses one after the other by their framing (Content-Length or chunked; none is bodiless here).
    private static List<string> StatusLinesOf(string text)
    {
        var statusLines = new List<string>();
        var at = 0;
        while (text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal) is var end and >= 0)
        {
            var lines = text[at..end].Split("\r\n");
            statusLines.Add(lines[0]);
            at = end + 4;
            var fields = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToList();
            if (fields.FirstOrDefault(f => f[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) is { } length)
            {
                at += int.Parse(length[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (fields.Any(f => f[0].Trim().Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
            {
                while (text.IndexOf("\r\n", at, StringComparison.Ordinal) is var lineEnd and >= 0)
                {
                    var size = int.Parse(text[at..lineEnd].Split(';')[0].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                    at = lineEnd + 2 + size + 2;
                    if (size == 0)
                    {
                        break;
                    }
                }
            }
        }

        return statusLines;
    }

    private static string Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return body.ToString();
            }

            var sizeText = chunked[at..lineEnd].Split(';')[0].Trim();
            var size = int.Parse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, lineEnd + 2, Math.Min(size, chunked.Length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>One HTTP/1 exchange written byte for byte over a fresh connection, read until the server closes it.</summary>
public static class RawExchange
{
    /// <summary>Sends the bytes as written and reads until the server closes the connection (at most 10 s).</summary>
    public static async Task<RawReply> SendAsync(IPEndPoint address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address);
        var stream = tcp.GetStream();
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

        return RawReply.Parse(Encoding.Latin1.GetString(received.ToArray()), closed);
    }
}

/// <summary>What came back: the status line, the headers, the body (cut to Content-Length) and whether the server closed.</summary>
public sealed record RawReply(string StatusLine, IReadOnlyList<(string Name, string Value)> Headers, string Body, bool ClosedByServer)
{
    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    public static RawReply Parse(string text, bool closed)
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

        return new RawReply(lines[0], headers, body, closed);
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

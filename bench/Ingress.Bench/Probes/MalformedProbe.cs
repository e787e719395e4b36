using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Ingress.Bench.Common;

namespace Ingress.Bench.Probes;

/// <summary>
/// Malformed and hostile HTTP/1.1 requests over TLS, one fresh connection each: what status comes back (or whether
/// the connection is just closed), then slow headers on many connections, then a normal request to show the server
/// still serves. A line per case; exit code 0 only when every case got a 4xx/5xx or a close and the server is alive.
/// </summary>
public static class MalformedProbe
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs every case against <c>--probe</c> (an https URL; its host is the SNI and Host).</summary>
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var probe = new Uri(options.Required("probe"));
        var connect = IPAddress.Parse(options.Optional("connect") ?? "127.0.0.1");
        var endpoint = new IPEndPoint(connect, probe.Port);
        var host = probe.Host;
        var path = probe.AbsolutePath;
        var slowSeconds = options.Int("slow", 40);
        var slowConnections = options.Int("slow-connections", 20);

        var cases = new (string Name, string Request, bool RfcAllowsAccepting)[]
        {
            ("baseline GET (well-formed)", $"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n", false),
            ("header value of 64 KiB", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Big: {new string('a', 64 * 1024)}\r\n\r\n", false),
            ("request target of 64 KiB", $"GET {path}?{new string('q', 64 * 1024)} HTTP/1.1\r\nHost: {host}\r\n\r\n", false),
            ("500 header fields", $"GET {path} HTTP/1.1\r\nHost: {host}\r\n{string.Concat(Enumerable.Range(0, 500).Select(i => $"X-H{i}: v\r\n"))}\r\n", false),
            ("space inside a header name", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nBad Name: v\r\n\r\n", false),
            ("control character (0x01) in a header value", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Ctl: a\u0001b\r\n\r\n", true),
            ("bare CR inside a header value", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-CR: a\rb\r\n\r\n", false),
            ("NUL in the request target", $"GET {path}\0 HTTP/1.1\r\nHost: {host}\r\n\r\n", false),
            ("space inside the request target", $"GET {path} x HTTP/1.1\r\nHost: {host}\r\n\r\n", false),
            ("bare LF line endings", $"GET {path} HTTP/1.1\nHost: {host}\n\n", true),
            ("obsolete line folding", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Fold: a\r\n  b\r\n\r\n", false),
            ("missing Host (HTTP/1.1)", $"GET {path} HTTP/1.1\r\n\r\n", false),
            ("two different Host headers", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nHost: other.example\r\n\r\n", false),
            ("unknown HTTP version", $"GET {path} HTTP/9.9\r\nHost: {host}\r\n\r\n", false),
            ("Content-Length + Transfer-Encoding: chunked", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false),
            ("two different Content-Length values", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", false),
            ("negative Content-Length", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: -1\r\n\r\n", false),
            ("Transfer-Encoding: xchunked", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", false),
            ("bad chunk size", $"GET {path} HTTP/1.1\r\nHost: {host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", false),
        };

        var failures = 0;
        foreach (var (name, request, rfcAllowsAccepting) in cases)
        {
            var outcome = await SendAsync(endpoint, host, Encoding.Latin1.GetBytes(request));
            var isBaseline = name.StartsWith("baseline", StringComparison.Ordinal);
            var rejected = outcome.Status is >= 400 or -1;
            var verdict = isBaseline ? (outcome.Status == 200 ? "ok" : "BASELINE-FAILED")
                : rejected ? (outcome.FromBackend ? "ok-rejected-by-backend" : "ok")
                : rfcAllowsAccepting ? "tolerated-as-rfc-9110/9112-allow"
                : "NOT-REJECTED";
            failures += verdict.StartsWith("ok", StringComparison.Ordinal) || verdict.StartsWith("tolerated", StringComparison.Ordinal) ? 0 : 1;
            Console.WriteLine($"malformed case=\"{name}\" result={outcome.Describe()} answered_by={(outcome.Status <= 0 ? "-" : outcome.FromBackend ? "backend" : "proxy")} verdict={verdict}");
        }

        var slow = await SlowHeadersAsync(endpoint, host, path, slowConnections, TimeSpan.FromSeconds(slowSeconds));
        Console.WriteLine(slow.Line);
        failures += slow.ServedMeanwhile ? 0 : 1;

        var after = await SendAsync(endpoint, host, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        Console.WriteLine($"malformed case=\"alive afterwards\" result={after.Describe()} verdict={(after.Status == 200 ? "ok" : "DOWN")}");
        failures += after.Status == 200 ? 0 : 1;
        Console.WriteLine($"malformed summary failures={failures}");
        return failures == 0 ? 0 : 1;
    }

    private static async Task<Outcome> SendAsync(IPEndPoint endpoint, string host, byte[] request)
    {
        using var deadline = new CancellationTokenSource(ReadTimeout);
        try
        {
            await using var stream = await ConnectAsync(endpoint, host, deadline.Token);
            try
            {
                await stream.WriteAsync(request, deadline.Token);
                await stream.FlushAsync(deadline.Token);
            }
            catch (IOException)
            {
                // The server may answer and close before reading everything we send: read what it said anyway.
            }

            return await ReadStatusAsync(stream, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            return new Outcome(-2, "no answer within 10 s");
        }
        catch (Exception ex) when (ex is IOException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            return new Outcome(-3, $"connect/TLS failed: {ex.GetType().Name}");
        }
    }

    private static async Task<SslStream> ConnectAsync(IPEndPoint endpoint, string host, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint, cancellationToken);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, cancellationToken);
        return ssl;
    }

    private static async Task<Outcome> ReadStatusAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (Encoding.Latin1.GetString(buffer, 0, total).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // A reset after (or instead of) the answer: whatever arrived is the answer.
        }

        var text = Encoding.Latin1.GetString(buffer, 0, total);
        var fromBackend = text.Contains("\r\nx-bench-backend:", StringComparison.OrdinalIgnoreCase);
        var firstLine = text.Split("\r\n")[0];
        var parts = firstLine.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? new Outcome(status, firstLine, fromBackend)
            : new Outcome(-1, total == 0 ? "connection closed without a response" : $"unparsed: {firstLine[..Math.Min(60, firstLine.Length)]}");
    }

    private static async Task<(string Line, bool ServedMeanwhile)> SlowHeadersAsync(
        IPEndPoint endpoint, string host, string path, int connections, TimeSpan bound)
    {
        // Each connection sends the request line and Host, then one more header line every second, never finishing.
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, connections).Select(async _ =>
        {
            using var deadline = new CancellationTokenSource(bound);
            try
            {
                await using var stream = await ConnectAsync(endpoint, host, deadline.Token);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n"), deadline.Token);
                var reader = ReadStatusAsync(stream, deadline.Token);
                for (var i = 0; !reader.IsCompleted; i++)
                {
                    try
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"X-Slow-{i}: {i}\r\n"), deadline.Token);
                    }
                    catch (IOException)
                    {
                        break;
                    }

                    await Task.WhenAny(reader, Task.Delay(1000, deadline.Token));
                }

                var outcome = await reader;
                return (Closed: true, Seconds: clock.Elapsed.TotalSeconds, outcome.Status);
            }
            catch (OperationCanceledException)
            {
                return (Closed: false, Seconds: clock.Elapsed.TotalSeconds, Status: 0);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                return (Closed: true, Seconds: clock.Elapsed.TotalSeconds, Status: -1);
            }
        }).ToList();

        // While they trickle, a normal client must still be served.
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, bound.TotalSeconds / 2)));
        var meanwhile = await SendAsync(endpoint, host, Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        var results = await Task.WhenAll(tasks);
        var closed = results.Where(r => r.Closed).ToList();
        var statuses = string.Join(",", closed.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == -1 ? "close" : g.Key.ToString(CultureInfo.InvariantCulture))}x{g.Count()}"));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"malformed case=\"slow headers ({connections} connections, a header line per second)\" closed_by_server={closed.Count}/{connections} " +
            $"after_s={(closed.Count > 0 ? closed.Average(r => r.Seconds) : 0):F1} answers={(statuses.Length > 0 ? statuses : "none")} " +
            $"still_open_after_s={bound.TotalSeconds:F0}={connections - closed.Count} normal_request_meanwhile={meanwhile.Describe()} " +
            $"verdict={(meanwhile.Status == 200 ? (closed.Count == connections ? "ok" : "ok-but-not-timed-out") : "STARVED")}");
        return (line, meanwhile.Status == 200);
    }

    private sealed record Outcome(int Status, string Detail, bool FromBackend = false)
    {
        public string Describe() => $"\"{Detail}\"";
    }
}

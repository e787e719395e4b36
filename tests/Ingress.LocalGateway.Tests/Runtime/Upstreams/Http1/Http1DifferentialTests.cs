using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Runtime.Upstreams.Http1;

/// <summary>
/// The dedicated HTTP/1.1 client against YARP's, side by side: two gateways with the same config in front of one raw
/// upstream, generated requests (methods, paths, fields, bodies with a length or chunked) and generated upstream
/// responses (statuses, reason phrases, fields, bodies framed by length, chunks with extensions and trailers, or the
/// connection's end), well-formed and malformed. What the client receives must be the same through both, byte for
/// byte once the per-request fields (date, service time) are set aside; where the dedicated client is stricter than
/// HttpClient (it refuses what Envoy's codec refuses), it must answer the local reply for a broken upstream, never
/// pass anything of the response on.
/// </summary>
#pragma warning disable CA1001 // the upstream and the gateways are disposed by IAsyncLifetime.DisposeAsync
public sealed class Http1DifferentialTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Config = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - route: [{destination: {host: svc}}]
        """;

    // The upstream's answer for each case, by the x-case field the request carries.
    private readonly ConcurrentDictionary<string, UpstreamReply> _replies = new();
    private RawUpstream _upstream = null!;
    private GatewayHarness _dedicated = null!;
    private GatewayHarness _yarp = null!;

    public async Task InitializeAsync()
    {
        _upstream = new RawUpstream(request =>
        {
            var id = request.Head.Split("\r\n").First(l => l.StartsWith("x-case:", StringComparison.OrdinalIgnoreCase))[7..].Trim();
            var reply = _replies[id];
            var text = reply.Text;
            if (request.RequestLine.StartsWith("HEAD ", StringComparison.Ordinal) && text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and > 0)
            {
                text = text[..(end + 4)]; // a response to HEAD has no body, whatever its framing says
            }

            return new RawReply(Encoding.Latin1.GetBytes(text), Close: reply.Close);
        });
        var endpoints = new[] { $"svc.default.svc.cluster.local:80=http://127.0.0.1:{_upstream.EndPoint.Port}" };
        _dedicated = await GatewayHarness.StartAsync(Config, endpoints, configure: o => o with { UpstreamHttp1 = UpstreamHttp1Client.Dedicated });
        _yarp = await GatewayHarness.StartAsync(Config, endpoints, configure: o => o with { UpstreamHttp1 = UpstreamHttp1Client.Yarp });
    }

    public async Task DisposeAsync()
    {
        await _dedicated.DisposeAsync();
        await _yarp.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Generated_requests_and_well_formed_responses_reach_the_client_the_same_through_both_clients()
    {
        var cases = 0;
        await Gen.Select(Requests, WellFormedReplies).SampleAsync(async c =>
        {
            var (request, reply) = c;
            var (dedicated, yarp) = await SendThroughBothAsync(request, reply);
            Assert.Equal(yarp, dedicated);
            Interlocked.Increment(ref cases);
        }, iter: 400, threads: 1);

        Assert.Equal(400, cases);
    }

    [Fact]
    public async Task Generated_malformed_responses_never_pass_through_the_dedicated_client()
    {
        var stricter = new ConcurrentDictionary<string, int>();
        await Gen.Select(Requests, MalformedReplies).SampleAsync(async c =>
        {
            var (request, (reply, rule)) = c;
            var (dedicated, yarp) = await SendThroughBothAsync(request, reply);
            if (request.Method == "HEAD" && rule.StartsWith("chunk", StringComparison.Ordinal))
            {
                // A response to HEAD has no body (RFC 9112 §6.3): a broken chunk after its head is never read.
                Assert.Equal(yarp, dedicated);
                return;
            }

            Assert.Equal(503, dedicated.Status);
            Assert.Equal(request.Method == "HEAD" ? "" : "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
                dedicated.Body);
            stricter.TryAdd(rule, 0);
            if (yarp != dedicated)
            {
                // HttpClient tolerates this one (Envoy does not): the dedicated client is the stricter of the two.
                stricter.AddOrUpdate(rule, 1, (_, n) => n + 1);
                Assert.Contains(rule, ToleratedByHttpClient);
            }
        }, iter: 300, threads: 1);
    }

    // Rules HttpClient does not enforce on responses (it folds, accepts bare LF, merges equal lengths, ...), where the
    // dedicated client follows Envoy's codec and refuses.
    private static readonly string[] ToleratedByHttpClient =
    [
        "obs-fold", "bare LF", "duplicate Content-Length", "Transfer-Encoding with Content-Length", "Transfer-Encoding not chunked",
        "chunk extension with NUL", "too many fields", "NUL in a value", "space before the colon", "chunk size with trailing junk",
        "204 with a body", "bare CR",
    ];

    private async Task<(Observed Dedicated, Observed Yarp)> SendThroughBothAsync(GeneratedRequest request, UpstreamReply reply)
    {
        var id = Guid.NewGuid().ToString("N");
        _replies[id] = reply;
        try
        {
            var dedicated = await SendAsync(_dedicated.Address(80), request, id);
            var yarp = await SendAsync(_yarp.Address(80), request, id);
            return (dedicated, yarp);
        }
        finally
        {
            _replies.TryRemove(id, out _);
        }
    }

    // One request on its own connection (Connection: close), read to the end: what a client sees on the wire.
    private static async Task<Observed> SendAsync(IPEndPoint gateway, GeneratedRequest request, string id)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(gateway);
        var head = new StringBuilder($"{request.Method} {request.Target} HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\nx-case: {id}\r\n");
        foreach (var (name, value) in request.Fields)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        var body = request.Body ?? [];
        if (request.Body is not null)
        {
            head.Append(request.Chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        await socket.SendAsync(Encoding.Latin1.GetBytes(head.ToString()));
        if (request.Body is not null)
        {
            await socket.SendAsync(request.Chunked ? Chunk(body) : body);
        }

        using var stream = new NetworkStream(socket);
        using var received = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.CopyToAsync(received, timeout.Token);
        return Observed.Parse(received.ToArray(), request.Method == "HEAD");
    }

    private static byte[] Chunk(byte[] body)
    {
        var output = new MemoryStream();
        for (var at = 0; at < body.Length; at += 700)
        {
            var piece = body.AsSpan(at, Math.Min(700, body.Length - at));
            output.Write(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            output.Write(piece);
            output.Write("\r\n"u8);
        }

        output.Write("0\r\n\r\n"u8);
        return output.ToArray();
    }

    // ---- generators -------------------------------------------------------------------------------------------

    private static readonly Gen<string> Token = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 12]
        .Where(s => char.IsLetter(s[0]));

    private static readonly Gen<string> Value = Gen.String[Gen.Char[" !#$%&'()*+,-./0123456789:;<=>?@ABCXYZ[]^_`abcxyz{|}~"], 0, 40]
        .Select(s => s.Trim());

    private static readonly Gen<(string, string)> Field = Gen.Select(Token, Value).Select((n, v) => ("x-" + n, v));

    private static readonly Gen<GeneratedRequest> Requests = Gen.Select(
        OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"),
        Gen.String[Gen.Char["abcdefghij0123456789-._~"], 0, 20].Array[1, 4].Select(s => "/" + string.Join('/', s)),
        Gen.String[Gen.Char["abcxyz0123=&"], 0, 12],
        Field.Array[0, 6],
        Gen.Byte.Array[0, 3000],
        Gen.Int[0, 2])
        .Select((method, path, query, fields, body, framing) => new GeneratedRequest(
            method,
            query.Length > 0 ? path + "?" + query : path,
            fields,
            method is "POST" or "PUT" or "PATCH" ? body : null,
            framing == 1));

    private static Gen<T> OneOf<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<int> Status = OneOf(200, 201, 202, 203, 206, 226, 299, 301, 302, 307, 400, 401, 403, 404, 409, 418, 429, 500, 501, 502, 504, 599);

    private static readonly Gen<string> Reason = Gen.OneOf(Gen.Const(""), Gen.Const("OK"), Gen.String[Gen.Char["abcdefghij XYZ-"], 1, 20]);

    private static readonly Gen<UpstreamReply> WellFormedReplies = Gen.Select(
        Status, Reason, Field.Array[0, 8], Gen.Byte.Array[0, 5000], Gen.Int[0, 3], Gen.Int[1, 9000], Gen.Bool)
        .Select((status, reason, fields, body, framing, chunkSize, trailers) =>
        {
            var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
            foreach (var (name, value) in fields)
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            var text = Encoding.Latin1.GetString(body);
            return framing switch
            {
                0 => new UpstreamReply(head + $"Content-Length: {body.Length}\r\n\r\n" + text, false),
                1 => new UpstreamReply(head + "Transfer-Encoding: chunked\r\n\r\n" + ChunkedText(text, chunkSize, trailers), false),
                2 => new UpstreamReply(head + "Connection: close\r\n\r\n" + text, true),
                _ => new UpstreamReply(head + "Content-Length: 0\r\n\r\n", false),
            };
        });

    private static string ChunkedText(string body, int size, bool trailers)
    {
        var output = new StringBuilder();
        for (var at = 0; at < body.Length; at += size)
        {
            var piece = body.Substring(at, Math.Min(size, body.Length - at));
            output.Append($"{piece.Length:X}").Append(size % 3 == 0 ? ";ext=1" : "").Append("\r\n").Append(piece).Append("\r\n");
        }

        return output.Append("0\r\n").Append(trailers ? "x-trailer: t\r\n" : "").Append("\r\n").ToString();
    }

    // A valid response broken in one place, with the rule it breaks.
    private static readonly Gen<(UpstreamReply, string)> MalformedReplies = Gen.Select(WellFormedReplies, Gen.Int[0, 13], Gen.Int[0, 1000])
        .Select((valid, kind, n) =>
        {
            var text = valid.Text;
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = text[..headEnd];
            var rest = text[(headEnd + 4)..];
            // The framing cases start from the head without its own framing fields, so each breaks one rule only.
            var bare = string.Join("\r\n", head.Split("\r\n").Where(l => !l.StartsWith("Content-Length:", StringComparison.Ordinal)
                && !l.StartsWith("Transfer-Encoding:", StringComparison.Ordinal) && !l.StartsWith("Connection:", StringComparison.Ordinal)));
            string Into(string target, string field) => target[..(target.IndexOf("\r\n", StringComparison.Ordinal) + 2)] + field + "\r\n" + target[(target.IndexOf("\r\n", StringComparison.Ordinal) + 2)..];
            string Insert(string field) => Into(head, field);
            string Framing(string field) => Into(bare + "\r\n", field).TrimEnd('\r', '\n');
            return kind switch
            {
                0 => (valid with { Text = Insert("x-a: 1\r\n folded") + "\r\n\r\n" + rest }, "obs-fold"),
                1 => (valid with { Text = head.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n\n" + rest }, "bare LF"),
                2 => (valid with { Text = Framing("Content-Length: 5\r\nContent-Length: 5") + "\r\n\r\nhello", Close = false }, "duplicate Content-Length"),
                3 => (valid with { Text = Framing("Content-Length: 5\r\nContent-Length: 7") + "\r\n\r\nhello12", Close = false }, "conflicting Content-Length"),
                4 => (valid with { Text = Framing("Content-Length: 3\r\nTransfer-Encoding: chunked") + "\r\n\r\n3\r\nabc\r\n0\r\n\r\n", Close = false }, "Transfer-Encoding with Content-Length"),
                5 => (valid with { Text = Framing("Transfer-Encoding: identity") + "\r\n\r\n" + rest, Close = true }, "Transfer-Encoding not chunked"),
                6 => (valid with { Text = Framing("Transfer-Encoding: chunked") + "\r\n\r\n" + $"{0xFFFFFFFFFFFFFFF0UL + (ulong)(n % 16):X}1\r\nabc\r\n0\r\n\r\n", Close = false }, "chunk size overflow"),
                7 => (valid with { Text = Framing("Transfer-Encoding: chunked") + "\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", Close = false }, "chunk size not hex"),
                8 => (valid with { Text = Framing("Content-Length: -" + n) + "\r\n\r\n" + rest, Close = true }, "negative Content-Length"),
                9 => (valid with { Text = Insert("x-b : 1") + "\r\n\r\n" + rest }, "space before the colon"),
                10 => (valid with { Text = Insert("x-c: a\0b") + "\r\n\r\n" + rest }, "NUL in a value"),
                11 => (valid with { Text = Insert(string.Concat(Enumerable.Range(0, 101).Select(i => $"x-h{i}: v\r\n"))[..^2]) + "\r\n\r\n" + rest }, "too many fields"),
                12 => (valid with { Text = "HTTP/1.1 " + (n % 90) + " Odd\r\n" + head[(head.IndexOf("\r\n", StringComparison.Ordinal) + 2)..] + "\r\n\r\n" + rest }, "status below 100"),
                _ => (valid with { Text = Insert("x-d: a\rb") + "\r\n\r\n" + rest }, "bare CR"),
            };
        });

    internal sealed record GeneratedRequest(string Method, string Target, (string Name, string Value)[] Fields, byte[]? Body, bool Chunked);

    internal sealed record UpstreamReply(string Text, bool Close);

    /// <summary>What the client read: status, fields (per-request ones set aside) and the decoded body.</summary>
    internal sealed record Observed(int Status, string Fields, string Body)
    {
        private static readonly string[] PerRequest = ["date", "x-envoy-upstream-service-time"];

        public static Observed Parse(byte[] raw, bool head)
        {
            var text = Encoding.Latin1.GetString(raw);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            Assert.True(end > 0, "no response head: " + text);
            var lines = text[..end].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var fields = lines.Skip(1)
                .Select(l => (Name: l[..l.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant(), Line: l))
                .Where(f => !PerRequest.Contains(f.Name))
                .Select(f => f.Line);
            var body = text[(end + 4)..];
            if (!head && lines.Any(l => l.Equals("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase)))
            {
                body = Dechunk(body);
            }

            return new Observed(status, lines[0] + "\n" + string.Join("\n", fields), body);
        }

        private static string Dechunk(string body)
        {
            var output = new StringBuilder();
            var at = 0;
            while (true)
            {
                var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = Convert.ToInt32(body[at..lineEnd].Split(';')[0], 16);
                if (size == 0)
                {
                    return output.ToString();
                }

                output.Append(body, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
        }
    }
}

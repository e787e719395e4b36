using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// Content-Length as Envoy's HTTP/1 codec reads it (Balsa: one header, 1+ digits within 64 bits; else 400
/// <c>http1.codec_error</c>), over real sockets: what Kestrel would read as a number (<c>+5</c>, <c>-0</c>) is refused
/// by the gateway from the bytes on the wire; what Kestrel refuses itself stays refused; well-framed traffic, pipelined
/// or chunked, plain text or TLS, HTTP/1.1 or HTTP/2, is forwarded as before.
/// </summary>
public sealed class ContentLengthTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _bodies = new();
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _backend = await RecordingBackend.StartAsync("backend");
        _backend.On("/echo", async c =>
        {
            var body = await new StreamReader(c.Request.Body, Encoding.Latin1).ReadToEndAsync();
            _bodies.Enqueue(body);
            c.Response.ContentLength = body.Length;
            await c.Response.WriteAsync(body, Encoding.Latin1);
        });
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<GatewayHarness> StartAsync()
    {
        var cert = TestCertificates.SelfSigned("CN=gw.example.com");
        return GatewayHarness.StartAsync($$$"""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["*"]
                tls: {mode: SIMPLE, credentialName: gw-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http: [{route: [{destination: {host: backend}}]}]
            ---
            {{{TestCertificates.KubectlTlsSecretYaml("gw-cert", "istio-system", cert)}}}
            """, [$"backend.default.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"]);
    }

    [Theory]
    [InlineData("+5")]
    [InlineData("+0")]
    [InlineData("-0")]
    [InlineData("+05")]
    public async Task A_signed_content_length_kestrel_reads_as_a_number_is_refused_400_DPE_and_never_forwarded(string value)
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            $"POST /signed HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\nhello");

        AssertCodecError(reply);
        Assert.Empty(_backend.Requests);
        Assert.Contains("\"POST /signed HTTP/1.1\" 400 DPE http1.codec_error - \"-\" 0 11 ", await gw.AccessLogLineAsync("/signed"));
        Assert.Equal("backend /after", await gw.Client(80).GetStringAsync("http://x/after"));
    }

    [Fact]
    public async Task Over_https_with_http_1_1_a_signed_content_length_is_refused_the_same_way()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(443),
            "POST /tls HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello", sni: "gw.example.com");

        AssertCodecError(reply);
        Assert.Empty(_backend.Requests);
        Assert.Contains("\"POST /tls HTTP/1.1\" 400 DPE http1.codec_error ", await gw.AccessLogLineAsync("/tls"));
    }

    [Fact]
    public async Task An_absolute_form_request_with_a_signed_content_length_is_refused()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "POST http://x/absolute?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello");

        AssertCodecError(reply);
        Assert.Empty(_backend.Requests);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("5, 5")]
    [InlineData("5,6")]
    [InlineData("0x5")]
    [InlineData("")]
    [InlineData("18446744073709551616")]
    [InlineData("5\r\nContent-Length: 5")]
    [InlineData("5\r\nContent-Length: 6")]
    public async Task A_content_length_kestrel_refuses_itself_is_answered_400_and_never_forwarded(string value)
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            $"POST /refused HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\nhello");

        // Kestrel's own answer: the request never reaches the gateway, so it has no access log line.
        Assert.Equal("HTTP/1.1 400 Bad Request", reply.StatusLine);
        Assert.True(reply.ClosedByServer);
        Assert.Empty(_backend.Requests);
        Assert.Equal("backend /after", await gw.Client(80).GetStringAsync("http://x/after"));
    }

    [Fact]
    public async Task A_signed_content_length_pipelined_behind_good_requests_is_refused_and_they_are_served()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "GET /first HTTP/1.1\r\nHost: x\r\n\r\n" +
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
            "POST /pipelined HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello" +
            "GET /never HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal(new[] { "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request" }, reply.StatusLines);
        Assert.True(reply.ClosedByServer);
        Assert.Equal(new[] { "/first", "/echo" }, _backend.Requests.Select(r => r.PathAndQuery));
        Assert.Contains("\"POST /pipelined HTTP/1.1\" 400 DPE http1.codec_error ", await gw.AccessLogLineAsync("/pipelined"));
    }

    [Fact]
    public async Task An_upgrade_request_does_not_switch_the_check_off_for_the_requests_after_it()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "GET /upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n" +
            "POST /behind HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello");

        Assert.Equal(new[] { "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request" }, reply.StatusLines);
        Assert.Equal(new[] { "/upgrade" }, _backend.Requests.Select(r => r.PathAndQuery));
        Assert.Contains("\"POST /behind HTTP/1.1\" 400 DPE http1.codec_error ", await gw.AccessLogLineAsync("/behind"));
    }

    [Fact]
    public async Task Pipelined_and_chunked_requests_are_forwarded_byte_exact()
    {
        await using var gw = await StartAsync();
        const string lookalike = "GET /x HTTP/1.1\r\nContent-Length: +5\r\n\r\n";
        var binary = new string(Enumerable.Range(0, 256).Select(i => (char)i).ToArray());

        var reply = await RawExchange.SendAsync(gw.Address(80),
            $"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {lookalike.Length}\r\n\r\n{lookalike}" +
            $"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length:  {binary.Length} \r\n\r\n{binary}" +
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
            $"5;name=value\r\nhello\r\n{lookalike.Length:x}\r\n{lookalike}\r\n0;end\r\nX-Trailer: t\r\n\r\n" +
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

        Assert.Equal(Enumerable.Repeat("HTTP/1.1 200 OK", 4), reply.StatusLines);
        Assert.Equal(new[] { lookalike, binary, "hello" + lookalike, "ok" }, _bodies);
    }

    [Fact]
    public async Task Https_with_http_1_1_and_http_2_forwards_bodies_unchanged()
    {
        await using var gw = await StartAsync();

        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            using var response = await gw.Client(443, sni: "gw.example.com", version: version)
                .PostAsync("https://x/echo", new StringContent($"body over {version}"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Version);
            Assert.Equal($"body over {version}", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(new[] { "body over 1.1", "body over 2.0" }, _bodies);
    }

    [Fact]
    public async Task Over_http_2_the_content_length_is_kestrels_to_parse()
    {
        await using var gw = await StartAsync();

        var status = await Http2PriorKnowledgePost(gw.Address(80), "/echo", "+5", "hello");

        // Kestrel's HTTP/2 request headers read "+5" as 5, as its HTTP/1 parser does; no wire bytes are inspected on
        // HTTP/2, so the request is forwarded with content-length: 5 (Envoy's HTTP/2 codec would reset the stream).
        Assert.Equal(200, status);
        Assert.Equal("5", _backend.Last.Header("content-length"));
        Assert.Equal(new[] { "hello" }, _bodies);
    }

    private static void AssertCodecError(ExchangeReply reply)
    {
        Assert.Equal(new[] { "HTTP/1.1 400 Bad Request" }, reply.StatusLines);
        Assert.Equal("Bad Request", reply.Body);
        Assert.Equal("close", reply.Header("Connection"));
        Assert.Equal("istio-envoy", reply.Header("Server"));
        Assert.True(reply.ClosedByServer);
    }

    // One HTTP/2 request written frame by frame (the client preface, SETTINGS, HEADERS with literal fields, DATA), so
    // the content-length value is exactly what is sent; returns the response's status.
    private static async Task<int> Http2PriorKnowledgePost(IPEndPoint address, string path, string contentLength, string body)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address);
        var stream = tcp.GetStream();
        var block = new List<byte> { 0x83, 0x86 }; // :method POST, :scheme http (static table)
        Literal(block, 0x04, path); // :path
        Literal(block, 0x01, "x"); // :authority
        block.AddRange([0x0F, 0x0D]); // content-length (static index 28), literal without indexing
        block.Add((byte)contentLength.Length);
        block.AddRange(Encoding.ASCII.GetBytes(contentLength));
        var request = new List<byte>("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        request.AddRange(Frame(0x4, 0, 0, []));
        request.AddRange(Frame(0x1, 0x4, 1, [.. block]));
        request.AddRange(Frame(0x0, 0x1, 1, Encoding.ASCII.GetBytes(body)));
        await stream.WriteAsync(request.ToArray());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[9];
        while (true)
        {
            await stream.ReadExactlyAsync(header, timeout.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, timeout.Token);
            var streamId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF;
            switch (header[3])
            {
                case 0x4 when (header[4] & 0x1) == 0:
                    await stream.WriteAsync(Frame(0x4, 0x1, 0, []), timeout.Token);
                    break;
                case 0x1 when streamId == 1:
                    // Kestrel sends the common statuses as indexed fields of the static table.
                    return payload[0] switch
                    {
                        0x88 => 200,
                        0x8C => 400,
                        0x8D => 404,
                        0x8E => 500,
                        _ => throw new InvalidOperationException($"status field 0x{payload[0]:X2}"),
                    };
                case 0x3 when streamId == 1:
                    throw new InvalidOperationException($"stream reset, error {BinaryPrimitives.ReadInt32BigEndian(payload)}");
            }
        }

        static void Literal(List<byte> block, byte nameIndex, string value)
        {
            block.Add(nameIndex);
            block.Add((byte)value.Length);
            block.AddRange(Encoding.ASCII.GetBytes(value));
        }

        static byte[] Frame(byte type, byte flags, int streamId, byte[] payload)
        {
            var frame = new byte[9 + payload.Length];
            frame[0] = (byte)(payload.Length >> 16);
            frame[1] = (byte)(payload.Length >> 8);
            frame[2] = (byte)payload.Length;
            frame[3] = type;
            frame[4] = flags;
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
            payload.CopyTo(frame, 9);
            return frame;
        }
    }
}

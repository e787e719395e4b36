using System.Net;
using System.Net.Sockets;
using System.Text;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// Requests that break HTTP/1 framing or syntax, sent byte for byte over a real socket: answered 4xx by the gateway
/// itself (never forwarded, never a 5xx), and the gateway keeps serving.
/// </summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await RecordingBackend.StartAsync("backend");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<GatewayHarness> StartAsync() => GatewayHarness.StartAsync("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http: [{route: [{destination: {host: backend}}]}]
        """, [$"backend.default.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"]);

    [Fact]
    public async Task Content_length_with_transfer_encoding_is_refused_400_DPE_closes_the_connection_and_never_reaches_the_backend()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "POST /smuggle HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n");

        Assert.Equal("HTTP/1.1 400 Bad Request", reply.StatusLine);
        Assert.Equal("Bad Request", reply.Body);
        Assert.Equal("close", reply.Header("Connection"));
        Assert.Equal("istio-envoy", reply.Header("Server"));
        Assert.Equal("text/plain", reply.Header("Content-Type"));
        Assert.True(reply.ClosedByServer);
        Assert.Empty(_backend.Requests);
        var line = await gw.AccessLogLineAsync("/smuggle");
        Assert.Contains("\"POST /smuggle HTTP/1.1\" 400 DPE http1.content_length_and_chunked_not_allowed - \"-\" 0 11 ", line);
    }

    [Fact]
    public async Task A_bad_chunk_size_in_the_request_body_is_the_clients_fault_400_DPE_not_503()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "POST /chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");

        Assert.Equal("HTTP/1.1 400 Bad Request", reply.StatusLine);
        Assert.Equal("Bad Request", reply.Body);
        Assert.Equal("close", reply.Header("Connection"));
        Assert.True(reply.ClosedByServer);
        var line = await gw.AccessLogLineAsync("/chunks");
        Assert.Contains("\"POST /chunks HTTP/1.1\" 400 DPE http1.codec_error ", line);
    }

    [Fact]
    public async Task A_well_formed_chunked_body_is_still_forwarded()
    {
        await using var gw = await StartAsync();
        _backend.On("/echo", async c =>
        {
            var body = await new StreamReader(c.Request.Body).ReadToEndAsync();
            c.Response.ContentLength = body.Length;
            await c.Response.WriteAsync(body);
        });

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", reply.StatusLine);
        Assert.Equal("hello world", reply.Body);
    }

    [Theory]
    [InlineData("oversized header value", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {64k}\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large")]
    [InlineData("oversized request target", "GET /{64k} HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 414 URI Too Long")]
    [InlineData("space inside a header name", "GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData("bare CR inside a header value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData("NUL in the request target", "GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData("two different Content-Length values", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", "HTTP/1.1 400 Bad Request")]
    [InlineData("Transfer-Encoding that is not chunked", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData("unknown HTTP version", "GET / HTTP/1.7\r\nHost: x\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported")]
    public async Task Malformed_requests_are_answered_4xx_by_the_gateway_and_it_keeps_serving(string name, string request, string statusLine)
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80), request.Replace("{64k}", new string('a', 64 * 1024), StringComparison.Ordinal));

        Assert.True(statusLine == reply.StatusLine, $"{name}: {reply.StatusLine}");
        Assert.True(reply.ClosedByServer, name);
        Assert.Empty(_backend.Requests);
        Assert.Equal("backend /after", await gw.Client(80).GetStringAsync("http://x/after"));
    }
}

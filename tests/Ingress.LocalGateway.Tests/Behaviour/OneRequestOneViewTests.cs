using System.Net;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// Each row of issue 13's table, sent as an attacker would against a config of the user's kind (routes by prefix:
/// <c>/admin</c> to the admin service, <c>/test/hello</c> exact rewritten to <c>/hello</c>, <c>/test/metrics</c> prefix
/// rewritten to <c>/metrics</c>, everything else to the public service; a DENY AuthorizationPolicy on <c>/admin*</c> and
/// on <c>DELETE</c>): the path is normalized once, before routing and authorization, and that request is the one the
/// backend receives.
/// </summary>
public sealed class OneRequestOneViewTests : IAsyncLifetime
{
    private RecordingBackend _admin = null!;
    private RecordingBackend _public = null!;
    private RecordingBackend _metrics = null!;

    public const string Routes = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: istio-system}
        spec:
          gateways: [gw]
          hosts: ["*"]
          http:
          - match: [{uri: {prefix: /admin}}]
            route: [{destination: {host: admin.default.svc.cluster.local, port: {number: 80}}}]
          - match: [{uri: {exact: /test/hello}}]
            rewrite: {uri: /hello}
            route: [{destination: {host: public.default.svc.cluster.local, port: {number: 80}}}]
          - match: [{uri: {prefix: /test/metrics}}]
            rewrite: {uri: /metrics}
            route: [{destination: {host: metrics.default.svc.cluster.local, port: {number: 80}}}]
          - route: [{destination: {host: public.default.svc.cluster.local, port: {number: 80}}}]
        """;

    public const string DenyAdminAndDelete = """
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: DENY
          rules:
          - to: [{operation: {paths: ["/admin*"], ports: ["8080"]}}]
          - to: [{operation: {methods: ["DELETE"], ports: ["8080"]}}]
        """;

    private const string AllowOnlyHello = """
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-hello, namespace: istio-system}
        spec:
          selector: {matchLabels: {istio: ingressgateway}}
          action: ALLOW
          rules:
          - to: [{operation: {paths: ["/test/hello"]}}]
        """;

    public async Task InitializeAsync()
    {
        _admin = await RecordingBackend.StartAsync("admin");
        _public = await RecordingBackend.StartAsync("public");
        _metrics = await RecordingBackend.StartAsync("metrics");
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _public.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    private Task<GatewayHarness> StartAsync(string policies = DenyAdminAndDelete, PathNormalization mode = PathNormalization.Base) =>
        GatewayHarness.StartAsync(Routes + "\n" + policies,
        [
            $"admin.default.svc.cluster.local:80=http://127.0.0.1:{_admin.Port}",
            $"public.default.svc.cluster.local:80=http://127.0.0.1:{_public.Port}",
            $"metrics.default.svc.cluster.local:80=http://127.0.0.1:{_metrics.Port}",
        ], configure: o => o with { PathNormalization = mode });

    private static Task<ExchangeReply> Send(GatewayHarness gw, string requestLine, string headers = "") =>
        RawExchange.SendAsync(gw.Address(80), $"{requestLine}\r\nHost: x\r\nConnection: close\r\n{headers}\r\n");

    [Theory]
    [InlineData("GET /admin/../anything HTTP/1.1")]
    [InlineData("GET /admin/%2e%2e/anything HTTP/1.1")]
    [InlineData("GET /admin/%2E%2e/anything HTTP/1.1")]
    [InlineData("GET /admin\\..\\anything HTTP/1.1")]
    [InlineData("GET /admin/..;x/anything HTTP/1.1")]
    public async Task A_dot_dot_out_of_admin_goes_to_the_public_route_and_the_admin_service_is_never_reached(string requestLine)
    {
        await using var gw = await StartAsync();

        var reply = await Send(gw, requestLine);

        Assert.Equal("HTTP/1.1 200 OK", reply.StatusLine);
        Assert.Equal("public /anything", reply.Body);
        Assert.Empty(_admin.Requests);
    }

    [Fact]
    public async Task Over_http2_a_dot_dot_out_of_admin_goes_to_the_public_route_too()
    {
        await using var gw = await StartAsync();
        var client = gw.Client(80, version: HttpVersion.Version20);

        using var response = await client.GetAsync(RawUri("http://x/admin/../anything"));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("public /anything", await response.Content.ReadAsStringAsync());
        Assert.Empty(_admin.Requests);
    }

    [Fact]
    public async Task Admin_itself_is_denied_and_never_reaches_the_admin_service()
    {
        await using var gw = await StartAsync();

        var reply = await Send(gw, "GET /admin/x HTTP/1.1");

        Assert.Equal("HTTP/1.1 403 Forbidden", reply.StatusLine);
        Assert.Equal("RBAC: access denied", reply.Body);
        Assert.Empty(_admin.Requests);
    }

    [Fact]
    public async Task An_allow_only_policy_for_test_hello_is_judged_on_the_path_that_is_routed_and_forwarded()
    {
        await using var gw = await StartAsync(AllowOnlyHello);

        var reply = await Send(gw, "GET /test/metrics/../hello HTTP/1.1");

        Assert.Equal("HTTP/1.1 200 OK", reply.StatusLine);
        Assert.Equal("public /hello", reply.Body);
        Assert.Empty(_metrics.Requests);
        Assert.Equal("HTTP/1.1 403 Forbidden", (await Send(gw, "GET /test/metrics/x HTTP/1.1")).StatusLine);
        Assert.Empty(_metrics.Requests);
    }

    [Theory]
    [InlineData("GET /test/./hello HTTP/1.1")]
    [InlineData("GET /%74est/hello HTTP/1.1")]
    [InlineData("GET /test\\hello HTTP/1.1")]
    [InlineData("GET /test/hello#frag HTTP/1.1")]
    [InlineData("GET /test/x/../hello HTTP/1.1")]
    public async Task Spellings_of_test_hello_reach_the_exact_route_and_its_rewrite(string requestLine)
    {
        await using var gw = await StartAsync();

        var reply = await Send(gw, requestLine);

        Assert.Equal("HTTP/1.1 200 OK", reply.StatusLine);
        Assert.Equal("public /hello", reply.Body);
    }

    [Fact]
    public async Task The_normalized_path_is_what_a_prefix_rewrite_replaces_and_the_backend_gets_no_second_normalization()
    {
        await using var gw = await StartAsync();

        var escaped = await Send(gw, "GET /test/metrics/./a/%2e%2e/b?q=/../x HTTP/1.1");
        var outOfPrefix = await Send(gw, "GET /test/metrics/../../x HTTP/1.1");

        Assert.Equal("metrics /metrics/b?q=/../x", escaped.Body);
        Assert.Equal("public /x", outOfPrefix.Body);
        var line = await gw.AccessLog.WaitForLineAsync("/test/metrics/b?q=/../x ");
        Assert.Contains("\"GET /test/metrics/b?q=/../x HTTP/1.1\" 200 - via_upstream", line);
    }

    [Fact]
    public async Task Without_normalization_the_rewritten_path_is_forwarded_exactly_as_rewritten()
    {
        await using var gw = await StartAsync(mode: PathNormalization.None);

        var reply = await Send(gw, "GET /test/metrics/../../x HTTP/1.1");

        Assert.Equal("HTTP/1.1 200 OK", reply.StatusLine);
        Assert.Equal("metrics /metrics/../../x", reply.Body);
    }

    [Theory]
    [InlineData("delete /m/x HTTP/1.1")]
    [InlineData("Delete /m/x HTTP/1.1")]
    [InlineData("dElEtE /m/x HTTP/1.1")]
    [InlineData("get /m/x HTTP/1.1")]
    public async Task A_method_not_in_upper_case_is_refused_400_and_no_backend_sees_it(string requestLine)
    {
        await using var gw = await StartAsync();

        var reply = await Send(gw, requestLine);

        Assert.Equal("HTTP/1.1 400 Bad Request", reply.StatusLine);
        Assert.Equal("Bad Request", reply.Body);
        Assert.Empty(_public.Requests);
        var method = requestLine.Split(' ')[0];
        Assert.Contains($"\"{method} /m/x HTTP/1.1\" 400 DPE http1.codec_error", await gw.AccessLog.WaitForLineAsync(" /m/x "));
    }

    [Theory]
    [InlineData("purge")]
    [InlineData("Propfind")]
    public async Task Over_http2_a_method_not_in_upper_case_is_refused_400_and_upper_case_delete_is_denied(string method)
    {
        // HttpClient sends the methods it knows (GET, DELETE, ...) in upper case whatever they are written as, so the
        // lower-case spelling is shown with methods it passes through as written.
        await using var gw = await StartAsync();
        var client = gw.Client(80, version: HttpVersion.Version20);

        using var lower = await client.SendAsync(Http2(new HttpMethod(method), "http://x/m/x"));
        using var upper = await client.SendAsync(Http2(HttpMethod.Delete, "http://x/m/x"));

        Assert.Equal(HttpStatusCode.BadRequest, lower.StatusCode);
        var line = await gw.AccessLog.WaitForLineAsync(method + " /m/x");
        Assert.True(line.Contains($"\"{method} /m/x HTTP/2\" 400 DPE method_not_upper_case", StringComparison.Ordinal), line);
        Assert.Equal(HttpStatusCode.Forbidden, upper.StatusCode);
        Assert.Empty(_public.Requests);
    }

    [Fact]
    public async Task A_nul_escape_in_the_path_is_refused_and_reaches_no_backend()
    {
        // Kestrel refuses it before the gateway's own check (path_normalization_failed), which stays for defence in
        // depth: HTTP/1 with 400, HTTP/2 by resetting the stream (Envoy: 400 for both).
        await using var gw = await StartAsync();
        var client = gw.Client(80, version: HttpVersion.Version20);

        var http1 = await Send(gw, "GET /a/%00b HTTP/1.1");
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(RawUri("http://x/a/%00b")));

        Assert.Equal("HTTP/1.1 400 Bad Request", http1.StatusLine);
        Assert.Empty(_public.Requests);
    }

    [Fact]
    public async Task Envoy_internal_headers_from_outside_never_reach_the_backend()
    {
        await using var gw = await StartAsync();
        string[] names =
        [
            "x-envoy-retriable-status-codes", "x-envoy-retriable-header-names", "x-envoy-upstream-alt-stat-name",
            "x-envoy-upstream-rq-timeout-alt-response", "x-envoy-original-url", "x-envoy-hedge-on-per-try-timeout",
            "x-envoy-retry-on", "x-envoy-max-retries", "x-envoy-upstream-rq-timeout-ms", "x-envoy-force-trace",
            "x-envoy-internal", "x-envoy-decorator-operation", "x-envoy-upstream-stream-duration-ms", "x-envoy-original-path",
        ];

        var reply = await Send(gw, "GET /plain HTTP/1.1", string.Concat(names.Select(n => $"{n}: 1\r\n")));

        Assert.Equal("public /plain", reply.Body);
        var seen = _public.Last;
        Assert.All(names, n => Assert.Null(seen.Header(n)));
        Assert.Equal("1", seen.Header("x-envoy-attempt-count"));
    }

    [Fact]
    public async Task A_transfer_coding_other_than_chunked_is_501()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "POST /m HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

        Assert.Equal("HTTP/1.1 501 Not Implemented", reply.StatusLine);
        Assert.True(reply.ClosedByServer);
        Assert.Empty(_public.Requests);
        Assert.Contains("\"POST /m HTTP/1.1\" 501 DPE http1.invalid_transfer_encoding", await gw.AccessLog.WaitForLineAsync(" /m "));
    }

    [Fact]
    public async Task An_overflowing_chunk_size_is_the_clients_fault_400_not_500()
    {
        await using var gw = await StartAsync();

        var reply = await RawExchange.SendAsync(gw.Address(80),
            "POST /m HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\nhello\r\n0\r\n\r\n");

        Assert.Equal("HTTP/1.1 400 Bad Request", reply.StatusLine);
        Assert.Contains("\"POST /m HTTP/1.1\" 400 DPE http1.codec_error", await gw.AccessLog.WaitForLineAsync(" /m "));
        Assert.Empty(_public.Requests);
    }

    [Fact]
    public async Task Headers_up_to_envoys_limits_are_accepted_and_beyond_them_431()
    {
        await using var gw = await StartAsync();
        var longPath = "/" + new string('a', 20 * 1024);

        var longUri = await Send(gw, $"GET {longPath} HTTP/1.1");
        var bigHeader = await Send(gw, "GET /big HTTP/1.1", $"X-Big: {new string('b', 40 * 1024)}\r\n");
        var manyHeaders = await Send(gw, "GET /many HTTP/1.1", string.Concat(Enumerable.Range(0, 95).Select(i => $"X-H{i}: v\r\n")));
        var tooBig = await Send(gw, "GET /too-big HTTP/1.1", $"X-A: {new string('a', 40 * 1024)}\r\nX-B: {new string('b', 21 * 1024)}\r\n");

        Assert.Equal("public " + longPath, longUri.Body);
        Assert.Equal("public /big", bigHeader.Body);
        Assert.Equal("public /many", manyHeaders.Body);
        Assert.Equal("HTTP/1.1 431 Request Header Fields Too Large", tooBig.StatusLine);
        Assert.Equal(3, _public.Requests.Count);
    }

    [Fact]
    public async Task Http2_with_prior_knowledge_is_served_on_a_plain_text_port()
    {
        await using var gw = await StartAsync();
        var client = gw.Client(80, version: HttpVersion.Version20);

        using var response = await client.GetAsync("http://x/test/hello");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("public /hello", await response.Content.ReadAsStringAsync());
        Assert.Contains("\"GET /test/hello HTTP/2\" 200", await gw.AccessLog.WaitForLineAsync("/test/hello"));
    }

    [Fact]
    public async Task An_upgrade_to_h2c_is_served_as_http1_and_the_upgrade_is_not_forwarded()
    {
        await using var gw = await StartAsync();

        var reply = await Send(gw, "GET /up HTTP/1.1", "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n");

        Assert.Equal("HTTP/1.1 200 OK", reply.StatusLine);
        Assert.Equal("public /up", reply.Body);
        Assert.Null(_public.Last.Header("upgrade"));
        Assert.Null(_public.Last.Header("http2-settings"));
    }

    private static HttpRequestMessage Http2(HttpMethod method, string url) =>
        new(method, url) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

    // A URL sent exactly as written: HttpClient would otherwise resolve the dot segments itself.
    private static Uri RawUri(string url) => new(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
}

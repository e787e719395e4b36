using System.Globalization;
using System.Net;
using Ingress.LocalGateway.Tests.Infrastructure;
using Ingress.LocalGateway.Runtime.Tracing;

namespace Ingress.LocalGateway.Tests.Tracing;

/// <summary>
/// The gateway's spans as a collector receives them over OTLP, and the trace headers the backend sees. The tests of
/// this class run one after another: the gateway's ActivitySource name is process-wide, so two tracing gateways alive
/// at once would each export the other's spans too.
/// </summary>
public sealed class TracingTests : IAsyncLifetime
{
    private const string Cluster = "outbound|80||svc.default.svc.cluster.local";
    private const string NodeId = "router~127.0.0.1~istio-ingressgateway-local.istio-system~istio-system.svc.cluster.local";
    private RecordingBackend _backend = null!;
    private OtlpReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _backend = await RecordingBackend.StartAsync("svc");
        _receiver = await OtlpReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _backend.DisposeAsync();
    }

    private const string Routes = """
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
          - match: [{uri: {prefix: /api}}]
            route: [{destination: {host: svc}}]
          - match: [{uri: {exact: /fail}}]
            route: [{destination: {host: svc}}]

        """;

    private Task<GatewayHarness> Start(string extraYaml = "", TracingOptions? tracing = null) =>
        GatewayHarness.StartAsync(Routes + extraYaml, [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"],
            configure: o => o with
            {
                Tracing = tracing ?? new TracingOptions
                {
                    Enabled = true,
                    ServiceName = TracingOptions.DefaultServiceName(o.Namespace),
                    Endpoint = _receiver.TracesUrl,
                    HttpProtobuf = true,
                    ExportDelay = TimeSpan.FromMilliseconds(50),
                },
            });

    private static async Task<HttpResponseMessage> Get(GatewayHarness gw, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.UserAgent.ParseAdd("trace-test/1.0");
        return await gw.Client(80).SendAsync(request);
    }

    private Task<IReadOnlyList<ReceivedSpan>> TraceOf(string traceId, int spans = 2) =>
        _receiver.WaitForTraceAsync(traceId, s => s.Count >= spans);

    [Fact]
    public async Task A_request_without_context_starts_a_trace_whose_server_span_carries_the_decorator_name_and_Envoy_tags()
    {
        await using var gw = await Start();

        using var response = await Get(gw, "http://shop.example/api/items?q=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = _backend.Last;
        var traceId = seen.Header("x-b3-traceid")!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        var spans = await TraceOf(traceId);
        var server = Assert.Single(spans, s => s.Kind == 2);
        var router = Assert.Single(spans, s => s.Kind == 3);

        Assert.Equal("svc.default.svc.cluster.local:80/api*", server.Name);
        Assert.Null(server.ParentSpanId);
        Assert.Equal("istio-ingressgateway.istio-system", server.Service);
        Assert.Equal(GatewayTracer.SourceName, server.Scope);
        Assert.Equal(0, server.StatusCode);
        var requestId = seen.Header("x-request-id")!;
        var expected = new Dictionary<string, string>
        {
            ["node_id"] = NodeId,
            ["zone"] = "",
            ["guid:x-request-id"] = requestId,
            ["http.url"] = "http://shop.example/api/items?q=1",
            ["http.method"] = "GET",
            ["downstream_cluster"] = "-",
            ["user_agent"] = "trace-test/1.0",
            ["http.protocol"] = "HTTP/1.1",
            ["peer.address"] = "127.0.0.1",
            ["istio.canonical_revision"] = "latest",
            ["istio.canonical_service"] = "istio-ingressgateway",
            ["istio.cluster_id"] = "Kubernetes",
            ["istio.mesh_id"] = "cluster.local",
            ["istio.namespace"] = "istio-system",
            ["request_size"] = "0",
            ["response_size"] = (await response.Content.ReadAsByteArrayAsync()).Length.ToString(CultureInfo.InvariantCulture),
            ["component"] = "proxy",
            ["upstream_cluster"] = Cluster,
            ["upstream_cluster.name"] = Cluster,
            ["http.status_code"] = "200",
            ["response_flags"] = "-",
        };
        Assert.Equal(expected.OrderBy(p => p.Key), server.Attributes.OrderBy(p => p.Key));

        Assert.Equal($"router {Cluster} egress", router.Name);
        Assert.Equal(server.SpanId, router.ParentSpanId);
        Assert.Equal(new Dictionary<string, string>
        {
            ["http.protocol"] = "HTTP/1.1",
            ["upstream_address"] = $"127.0.0.1:{_backend.Port}",
            ["component"] = "proxy",
            ["upstream_cluster"] = Cluster,
            ["upstream_cluster.name"] = Cluster,
            ["http.status_code"] = "200",
            ["response_flags"] = "-",
        }.OrderBy(p => p.Key), router.Attributes.OrderBy(p => p.Key));

        // Upstream: B3 multi and traceparent name the same trace, with the router span as the caller's span.
        Assert.Equal(router.SpanId, seen.Header("x-b3-spanid"));
        Assert.Equal(server.SpanId, seen.Header("x-b3-parentspanid"));
        Assert.Equal("1", seen.Header("x-b3-sampled"));
        Assert.Equal($"00-{traceId}-{router.SpanId}-01", seen.Header("traceparent"));
        // The sampling decision is packed into the request id (Envoy's UUID trace status: 9 = sampled).
        Assert.Equal('9', requestId[14]);
    }

    [Fact]
    public async Task An_incoming_traceparent_is_continued()
    {
        await using var gw = await Start();
        const string trace = "4bf92f3577b34da6a3ce929d0e0e4736";

        await Get(gw, "http://x/api", ("traceparent", $"00-{trace}-00f067aa0ba902b7-01"));

        var seen = _backend.Last;
        var spans = await TraceOf(trace);
        var server = Assert.Single(spans, s => s.Kind == 2);
        var router = Assert.Single(spans, s => s.Kind == 3);
        Assert.Equal("00f067aa0ba902b7", server.ParentSpanId);
        Assert.Equal(trace, seen.Header("x-b3-traceid"));
        Assert.Equal($"00-{trace}-{router.SpanId}-01", seen.Header("traceparent"));
        Assert.Equal(server.SpanId, seen.Header("x-b3-parentspanid"));
    }

    [Fact]
    public async Task Incoming_B3_multi_headers_are_continued_and_replaced_upstream()
    {
        await using var gw = await Start();
        const string trace = "80f198ee56343ba864fe8b2a57d3eff7";

        await Get(gw, "http://x/api", ("x-b3-traceid", trace), ("x-b3-spanid", "e457b5a2e4d86bd1"),
            ("x-b3-parentspanid", "05e3ac9a4f6e3b90"), ("x-b3-sampled", "1"));

        var seen = _backend.Last;
        var spans = await TraceOf(trace);
        var server = Assert.Single(spans, s => s.Kind == 2);
        var router = Assert.Single(spans, s => s.Kind == 3);
        Assert.Equal("e457b5a2e4d86bd1", server.ParentSpanId);
        Assert.Equal((trace, router.SpanId, server.SpanId, "1"),
            (seen.Header("x-b3-traceid"), seen.Header("x-b3-spanid"), seen.Header("x-b3-parentspanid"), seen.Header("x-b3-sampled")));
    }

    [Fact]
    public async Task A_64_bit_B3_trace_id_stays_64_bit_in_B3_and_is_padded_in_traceparent()
    {
        await using var gw = await Start();

        await Get(gw, "http://x/api", ("x-b3-traceid", "a3ce929d0e0e4736"), ("x-b3-spanid", "00f067aa0ba902b7"));

        var seen = _backend.Last;
        var spans = await TraceOf("0000000000000000a3ce929d0e0e4736");
        var router = Assert.Single(spans, s => s.Kind == 3);
        Assert.Equal("a3ce929d0e0e4736", seen.Header("x-b3-traceid"));
        Assert.Equal($"00-0000000000000000a3ce929d0e0e4736-{router.SpanId}-01", seen.Header("traceparent"));
    }

    [Fact]
    public async Task A_single_b3_header_is_continued_and_not_forwarded()
    {
        await using var gw = await Start();
        const string trace = "0af7651916cd43dd8448eb211c80319c";

        await Get(gw, "http://x/api", ("b3", $"{trace}-b7ad6b7169203331-1-0020000000000001"));

        var seen = _backend.Last;
        var spans = await TraceOf(trace);
        var server = Assert.Single(spans, s => s.Kind == 2);
        Assert.Equal("b7ad6b7169203331", server.ParentSpanId);
        Assert.Null(seen.Header("b3"));
        Assert.Equal(trace, seen.Header("x-b3-traceid"));
    }

    [Theory]
    [InlineData("x-b3-sampled", "0")]
    [InlineData("b3", "0")]
    [InlineData("traceparent", "00-5e0c63257de34c92bf9efcd03927272e-00f067aa0ba902b7-00")]
    public async Task A_callers_not_sampled_decision_is_respected_and_propagated(string header, string value)
    {
        await using var gw = await Start();

        await Get(gw, "http://x/api/unsampled", (header, value));
        var unsampled = _backend.Last;
        await Get(gw, "http://x/api/sampled");
        var sampled = _backend.Last;

        Assert.Equal("0", unsampled.Header("x-b3-sampled"));
        var traceId = unsampled.Header("x-b3-traceid")!;
        Assert.EndsWith("-00", unsampled.Header("traceparent"));
        Assert.StartsWith($"00-{traceId}-", unsampled.Header("traceparent"));
        // Spans are exported in order: once the later sampled trace arrived, the unsampled one would have too.
        await TraceOf(sampled.Header("x-b3-traceid")!);
        Assert.DoesNotContain(_receiver.Spans, s => s.TraceId == traceId);
    }

    [Fact]
    public async Task A_callers_sampled_decision_wins_over_a_zero_percent_Telemetry()
    {
        await using var gw = await Start(Telemetry(0));
        const string trace = "11111111111111112222222222222222";

        await Get(gw, "http://x/api", ("traceparent", $"00-{trace}-00f067aa0ba902b7-01"));

        Assert.Equal("1", _backend.Last.Header("x-b3-sampled"));
        await TraceOf(trace);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(100)]
    public async Task Without_a_callers_decision_the_request_id_decides_at_the_Telemetry_percentage(double percentage)
    {
        await using var gw = await Start(Telemetry(percentage));

        for (var i = 0; i < 20; i++)
        {
            await Get(gw, "http://x/api");
            var seen = _backend.Last;
            var requestId = seen.Header("x-request-id")!;
            // Envoy: the first 8 hex digits of the UUID modulo 10000 below percentage × 100.
            var head = uint.Parse(requestId.AsSpan(0, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var expected = head % 10000 < percentage * 100;
            Assert.Equal(expected ? "1" : "0", seen.Header("x-b3-sampled"));
            Assert.Equal(expected ? '9' : '4', requestId[14]);
        }
    }

    [Fact]
    public async Task The_gateway_workloads_own_Telemetry_overrides_the_root_namespace_one()
    {
        await using var gw = await Start(Telemetry(100) + """
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: gateway, namespace: istio-system}
            spec:
              selector: {matchLabels: {istio: ingressgateway}}
              tracing:
              - randomSamplingPercentage: 0

            """);

        await Get(gw, "http://x/api");

        Assert.Equal("0", _backend.Last.Header("x-b3-sampled"));
        using var dump = System.Text.Json.JsonDocument.Parse(await gw.Admin().GetStringAsync("/config_dump"));
        var tracing = dump.RootElement.GetProperty("tracing");
        Assert.Equal((0.0, false), (tracing.GetProperty("samplingPercentage").GetDouble(), tracing.GetProperty("disabled").GetBoolean()));
    }

    [Fact]
    public async Task An_upstream_5xx_marks_both_spans_as_errors()
    {
        // 500, not 503: Istio's default retry policy retries a 503 (one router span per attempt).
        _backend.On("/fail", 500, "down");
        await using var gw = await Start();

        using var response = await Get(gw, "http://x/fail");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var spans = await TraceOf(_backend.Last.Header("x-b3-traceid")!);
        var server = Assert.Single(spans, s => s.Kind == 2);
        var router = Assert.Single(spans, s => s.Kind == 3);
        Assert.Equal("svc.default.svc.cluster.local:80/fail", server.Name);
        Assert.All([server, router], span =>
        {
            Assert.Equal(2, span.StatusCode); // STATUS_CODE_ERROR
            Assert.Equal("true", span.Tag("error"));
            Assert.Equal("500", span.Tag("http.status_code"));
        });
    }

    [Fact]
    public async Task An_upstream_that_refuses_the_connection_gives_a_UF_server_span_and_a_router_span_without_status()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        // Retries off, so the request has one attempt: Istio's default policy would retry the connect failure twice.
        var routes = Routes.Replace("  - match: [{uri: {prefix: /api}}]\n", "  - match: [{uri: {prefix: /api}}]\n    retries: {attempts: 0}\n", StringComparison.Ordinal);
        Assert.Contains("retries: {attempts: 0}", routes, StringComparison.Ordinal);
        await using var gw = await GatewayHarness.StartAsync(routes, [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{closedPort}"],
            configure: o => o with
            {
                Tracing = new TracingOptions
                {
                    Enabled = true, ServiceName = "gw", Endpoint = _receiver.TracesUrl, HttpProtobuf = true,
                    ExportDelay = TimeSpan.FromMilliseconds(50),
                },
            });
        const string trace = "dddddddddddddddddddddddddddddddd";

        using var response = await Get(gw, "http://x/api", ("traceparent", $"00-{trace}-00f067aa0ba902b7-01"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var spans = await TraceOf(trace);
        var server = Assert.Single(spans, s => s.Kind == 2);
        var router = Assert.Single(spans, s => s.Kind == 3);
        Assert.Equal(("503", "UF", "true", 2), (server.Tag("http.status_code"), server.Tag("response_flags"), server.Tag("error"), server.StatusCode));
        Assert.Equal(("0", "UF", "true", $"127.0.0.1:{closedPort}", "-"),
            (router.Tag("http.status_code"), router.Tag("response_flags"), router.Tag("error"), router.Tag("upstream_address"), router.Tag("http.protocol")));
    }

    [Fact]
    public async Task A_request_with_no_route_is_an_egress_span_with_the_NR_flag_and_no_upstream_span()
    {
        await using var gw = await Start();
        const string trace = "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb";

        using var response = await Get(gw, "http://nowhere.example/other", ("traceparent", $"00-{trace}-00f067aa0ba902b7-01"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var spans = await TraceOf(trace, spans: 1);
        var server = Assert.Single(spans);
        Assert.Equal("egress nowhere.example", server.Name);
        Assert.Equal(("404", "NR", null), (server.Tag("http.status_code"), server.Tag("response_flags"), server.Tag("upstream_cluster")));
        Assert.Equal(0, server.StatusCode);
    }

    [Fact]
    public async Task A_malformed_b3_header_leaves_the_request_untraced_and_its_headers_untouched()
    {
        await using var gw = await Start();

        await Get(gw, "http://x/api", ("b3", "not-a-context"));

        var seen = _backend.Last;
        Assert.Equal("not-a-context", seen.Header("b3"));
        Assert.Null(seen.Header("x-b3-traceid"));
        Assert.Null(seen.Header("traceparent"));
        Assert.Equal('4', seen.Header("x-request-id")![14]);
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_nothing_is_traced_and_a_callers_headers_pass_through()
    {
        var tracing = TracingOptions.FromEnvironment(_ => null, "istio-system");
        Assert.False(tracing.Enabled);
        await using var gw = await Start(tracing: tracing);
        const string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        await Get(gw, "http://x/api", ("traceparent", traceparent));

        var seen = _backend.Last;
        Assert.Equal(traceparent, seen.Header("traceparent"));
        Assert.Null(seen.Header("x-b3-traceid"));
        Assert.Null(seen.Header("x-b3-sampled"));
        Assert.Equal('4', seen.Header("x-request-id")![14]);
        Assert.Empty(_receiver.Spans);
    }

    [Fact]
    public async Task Telemetry_custom_tags_enable_istio_tags_and_context_propagation_shape_the_span_and_the_headers()
    {
        Environment.SetEnvironmentVariable("INGRESS_TRACING_TEST_REGION", "eu-local");
        await using var gw = await Start("""
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              tracing:
              - customTags:
                  env: {literal: {value: dev}}
                  region: {environment: {name: INGRESS_TRACING_TEST_REGION}}
                  zone-fallback: {environment: {name: INGRESS_TRACING_TEST_UNSET, defaultValue: none}}
                  tenant: {header: {name: X-Tenant, defaultValue: anonymous}}
                  plan: {header: {name: x-plan}}
                enableIstioTags: false
                disableContextPropagation: true
              - match: {mode: SERVER}
                randomSamplingPercentage: 0

            """);

        await Get(gw, "http://x/api", ("x-tenant", "acme"), ("traceparent", "00-cccccccccccccccccccccccccccccccc-00f067aa0ba902b7-01"));

        var seen = _backend.Last;
        // No context is injected: the caller's traceparent passes through and no B3 header is added.
        Assert.Equal("00-cccccccccccccccccccccccccccccccc-00f067aa0ba902b7-01", seen.Header("traceparent"));
        Assert.Null(seen.Header("x-b3-traceid"));
        var server = Assert.Single(await TraceOf("cccccccccccccccccccccccccccccccc"), s => s.Kind == 2);
        Assert.Equal(("dev", "eu-local", "none", "acme", null),
            (server.Tag("env"), server.Tag("region"), server.Tag("zone-fallback"), server.Tag("tenant"), server.Tag("plan")));
        Assert.DoesNotContain(server.Attributes.Keys, k => k.StartsWith("istio.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_gateway_namespaces_Telemetry_can_disable_span_reporting_set_at_the_root()
    {
        await using var gw = await Start(Telemetry(100) + """
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: quiet, namespace: istio-system}
            spec:
              selector: {matchLabels: {istio: ingressgateway}}
              tracing:
              - disableSpanReporting: true

            """);

        await Get(gw, "http://x/api");

        var seen = _backend.Last;
        Assert.Null(seen.Header("x-b3-traceid"));
        Assert.Equal('4', seen.Header("x-request-id")![14]);
    }

    private static string Telemetry(double percentage) => $"""
        ---
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {"{"}name: mesh-default, namespace: istio-system{"}"}
        spec:
          tracing:
          - randomSamplingPercentage: {percentage.ToString(CultureInfo.InvariantCulture)}

        """;
}

using System.Net;
using System.Net.Sockets;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>Rewrites, redirects, direct responses, header operations, local replies and the headers Envoy adds.</summary>
public sealed class ActionTests : IAsyncLifetime
{
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await RecordingBackend.StartAsync("svc");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private const string Gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---

        """;

    private Task<GatewayHarness> Start(string http) => GatewayHarness.StartAsync(Gateway + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:

        """ + http, [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"]);

    [Theory]
    [InlineData("prefix: /api", "/v1", "/api/users?q=1", "/v1/users?q=1")]
    [InlineData("prefix: /api", "/", "/api/x", "//x")]
    [InlineData("prefix: /api/", "/", "/api/x", "/x")]
    [InlineData("exact: /old", "/new/path", "/old?key=value", "/new/path?key=value")]
    [InlineData("regex: /r/.*", "/whole", "/r/a/b", "/whole")]
    public async Task Rewrite_uri_replaces_the_matched_prefix_or_the_whole_path_and_keeps_the_query(
        string match, string rewrite, string path, string upstream)
    {
        await using var gw = await Start(
            "  - match: [{uri: {" + match + "}}]\n" +
            "    rewrite: {uri: \"" + rewrite + "\"}\n" +
            "    route: [{destination: {host: svc}}]\n");

        using var response = await gw.Client(80).GetAsync("http://x" + path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(upstream, _backend.Last.PathAndQuery);
        Assert.Equal(path, _backend.Last.Header("x-envoy-original-path"));
    }

    [Fact]
    public async Task Rewrite_without_a_uri_match_replaces_the_leading_slash()
    {
        await using var gw = await Start("""
              - rewrite: {uri: /v1}
                route: [{destination: {host: svc}}]
            """);

        await gw.Client(80).GetAsync("http://x/foo");

        Assert.Equal("/v1foo", _backend.Last.PathAndQuery);
    }

    [Fact]
    public async Task UriRegexRewrite_substitutes_groups_and_keeps_the_query()
    {
        await using var gw = await Start("""
              - match: [{uri: {prefix: /users}}]
                rewrite: {uriRegexRewrite: {match: "^/users/([0-9]+)/profile$", rewrite: "/profiles/\\1"}}
                route: [{destination: {host: svc}}]
            """);

        await gw.Client(80).GetAsync("http://x/users/42/profile?full=1");

        Assert.Equal("/profiles/42?full=1", _backend.Last.PathAndQuery);
    }

    [Fact]
    public async Task Rewrite_authority_wins_over_route_and_destination_host_headers()
    {
        await using var gw = await Start("""
              - match: [{uri: {prefix: /rewrite}}]
                rewrite: {authority: rewritten.example.com}
                headers: {request: {set: {host: route.example.com}}}
                route: [{destination: {host: svc}, headers: {request: {set: {host: dest.example.com}}}}]
              - match: [{uri: {prefix: /route}}]
                headers: {request: {set: {":authority": route.example.com}}}
                route: [{destination: {host: svc}, headers: {request: {set: {host: dest.example.com}}}}]
              - match: [{uri: {prefix: /dest}}]
                route: [{destination: {host: svc}, headers: {request: {add: {host: dest.example.com}}}}]
              - route: [{destination: {host: svc}}]
            """);
        var client = gw.Client(80);

        await client.GetAsync("http://original.example.com/rewrite");
        Assert.Equal("rewritten.example.com", _backend.Last.Host);
        await client.GetAsync("http://original.example.com/route");
        Assert.Equal("route.example.com", _backend.Last.Host);
        await client.GetAsync("http://original.example.com/dest");
        Assert.Equal("dest.example.com", _backend.Last.Host);
        await client.GetAsync("http://original.example.com:8080/other");
        Assert.Equal("original.example.com:8080", _backend.Last.Host);
    }

    [Theory]
    [InlineData("{uri: /new}", "b", "/old?q=1", "http://b/new?q=1", 301)]
    [InlineData("{authority: other.example.com, redirectCode: 302}", "b", "/p", "http://other.example.com/p", 302)]
    [InlineData("{uri: \"/n?x=1\", redirectCode: 308}", "b:8080", "/p?q=1", "http://b:8080/n?x=1", 308)]
    public async Task Redirect_builds_the_location_as_envoy_and_keeps_the_query(string redirect, string host, string path, string location, int code)
    {
        // The host and port of the Location, case by case, are in RedirectPortTests.
        await using var gw = await Start("  - redirect: " + redirect + "\n");

        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x" + path);
        request.Headers.Host = host;
        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
        Assert.Empty(_backend.Requests);
        var line = await gw.AccessLog.WaitForLineAsync(path);
        Assert.Contains($" {code} - direct_response ", line);
    }

    [Fact]
    public async Task Direct_response_answers_status_body_and_route_response_headers()
    {
        await using var gw = await Start("""
              - directResponse: {status: 418, body: {string: "short and stout"}}
                headers: {response: {set: {content-type: text/teapot}, add: {x-extra: one}}}
            """);

        using var response = await gw.Client(80).GetAsync("http://x/tea");

        Assert.Equal(418, (int)response.StatusCode);
        Assert.Equal("short and stout", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/teapot", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("one", response.Headers.GetValues("x-extra").Single());
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
    }

    [Fact]
    public async Task Header_operations_apply_to_the_upstream_request_and_the_response_route_and_destination_level()
    {
        _backend.On("/h", async c =>
        {
            c.Response.Headers["x-backend"] = "secret";
            c.Response.Headers["x-keep"] = "kept";
            await c.Response.WriteAsync("ok");
        });
        await using var gw = await Start("""
              - headers:
                  request: {set: {x-route-set: r}, add: {x-added: route}, remove: [x-drop]}
                  response: {remove: [x-backend], set: {x-route: r}}
                route:
                - destination: {host: svc}
                  headers: {request: {set: {x-dest: d}}, response: {add: {x-dest-resp: d}}}
            """);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/h");
        request.Headers.Add("x-drop", "please");
        request.Headers.Add("x-added", "client");

        using var response = await gw.Client(80).SendAsync(request);

        var seen = _backend.Last;
        Assert.Equal("r", seen.Header("x-route-set"));
        Assert.Equal("d", seen.Header("x-dest"));
        // Appended as a second header line; the backend joins the lines.
        Assert.Equal("client, route", seen.Header("x-added"));
        Assert.Null(seen.Header("x-drop"));
        Assert.False(response.Headers.Contains("x-backend"));
        Assert.Equal("kept", response.Headers.GetValues("x-keep").Single());
        Assert.Equal("r", response.Headers.GetValues("x-route").Single());
        Assert.Equal("d", response.Headers.GetValues("x-dest-resp").Single());
    }

    [Fact]
    public async Task Edge_headers_are_added_as_envoy_does_and_hop_by_hop_headers_are_not_forwarded()
    {
        await using var gw = await Start("""
              - route: [{destination: {host: svc}}]
            """);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/e");
        request.Headers.Add("x-forwarded-for", "203.0.113.7");
        request.Headers.Add("x-request-id", "client-chosen");
        request.Headers.Add("x-envoy-original-path", "/spoofed");
        request.Headers.Add("Connection", "x-hop");
        request.Headers.Add("x-hop", "secret");
        request.Headers.Add("Keep-Alive", "timeout=5");

        using var response = await gw.Client(80).SendAsync(request);

        var seen = _backend.Last;
        Assert.Equal("203.0.113.7,127.0.0.1", seen.Header("x-forwarded-for"));
        Assert.Equal("http", seen.Header("x-forwarded-proto"));
        Assert.Equal("127.0.0.1", seen.Header("x-envoy-external-address"));
        Assert.Equal("1", seen.Header("x-envoy-attempt-count"));
        Assert.NotEqual("client-chosen", seen.Header("x-request-id"));
        // A version-4 UUID in lower case, as Envoy's UUID generator writes it.
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", seen.Header("x-request-id"));
        Assert.Null(seen.Header("x-envoy-original-path"));
        Assert.Null(seen.Header("x-hop"));
        Assert.Null(seen.Header("keep-alive"));
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
        Assert.True(int.TryParse(response.Headers.GetValues("x-envoy-upstream-service-time").Single(), out _));
        var line = await gw.AccessLog.WaitForLineAsync("\"GET /e HTTP/1.1\"");
        Assert.Contains($"\"203.0.113.7,127.0.0.1\" \"-\" \"{seen.Header("x-request-id")}\" \"x\" \"127.0.0.1:{_backend.Port}\" ", line);
    }

    [Fact]
    public async Task Unknown_destination_host_answers_503_NC()
    {
        await using var gw = await Start("""
              - route: [{destination: {host: nowhere.example.com, port: {number: 80}}}]
            """);

        using var response = await gw.Client(80).GetAsync("http://x/nc");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Contains(" 503 NC cluster_not_found ", await gw.AccessLog.WaitForLineAsync("/nc"));
        Assert.Contains(gw.Host.Snapshots.Current.Diagnostics, d => d.Code == "IST0101" && d.Message.Contains("nowhere.example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Known_service_without_endpoints_answers_503_UH_no_healthy_upstream()
    {
        await using var gw = await Start("""
              - route: [{destination: {host: lonely}}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: lonely}
            spec:
              ports: [{name: http, port: 80}]
            """);

        using var response = await gw.Client(80).GetAsync("http://x/uh");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no healthy upstream", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Contains(" 503 UH no_healthy_upstream ", await gw.AccessLog.WaitForLineAsync("/uh"));
    }

    [Fact]
    public async Task Refused_upstream_connection_answers_503_UF()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http: [{retries: {attempts: 0}, route: [{destination: {host: down}}]}]
            """, [$"down.default.svc.cluster.local:80=http://127.0.0.1:{closedPort}"]);

        // Retries off: Istio's default policy would retry the connect failure (see RetryTests).
        using var response = await gw.Client(80).GetAsync("http://x/uf");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: connection failure",
            await response.Content.ReadAsStringAsync());
        Assert.Contains(" 503 UF upstream_reset_before_response_started{connection_failure} ", await gw.AccessLog.WaitForLineAsync("/uf"));
    }

    [Fact]
    public async Task Route_timeout_answers_504_UT_upstream_request_timeout()
    {
        _backend.On("/slow", async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
            await c.Response.WriteAsync("late");
        });
        await using var gw = await Start("""
              - timeout: 0.2s
                route: [{destination: {host: svc}}]
            """);

        using var response = await gw.Client(80).GetAsync("http://x/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.Contains(" 504 UT upstream_response_timeout ", await gw.AccessLog.WaitForLineAsync("/slow"));
    }

    [Fact]
    public async Task Https_redirect_answers_301_to_https_with_the_host_verbatim()
    {
        await using var gw = await GatewayHarness.StartAsync("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [shop.example.com]
                tls: {httpsRedirect: true}
            """);

        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/cart?id=1");
        request.Headers.Host = "shop.example.com:80";
        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://shop.example.com:80/cart?id=1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Http_servers_on_one_port_from_several_gateways_share_one_route_table()
    {
        await using var gw = await GatewayHarness.StartAsync("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: one}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.example.com]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: two}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http2, protocol: HTTP}, hosts: [b.example.com]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a}
            spec:
              hosts: [a.example.com]
              gateways: [one]
              http: [{directResponse: {status: 200, body: {string: a}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: b}
            spec:
              hosts: [b.example.com]
              gateways: [two]
              http: [{directResponse: {status: 200, body: {string: b}}}]
            """);
        var client = gw.Client(80);

        Assert.Equal("a", await client.GetStringAsync("http://a.example.com/"));
        Assert.Equal("b", await client.GetStringAsync("http://b.example.com/"));
        Assert.Equal("http.80", gw.Host.Snapshots.Current.Listeners[80].HttpRoutes!.Name);
    }
}

using System.Net;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>VirtualService binding, host selection and match semantics over a plain HTTP port.</summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private RecordingBackend _a = null!;
    private RecordingBackend _b = null!;

    public async Task InitializeAsync()
    {
        _a = await RecordingBackend.StartAsync("a");
        _b = await RecordingBackend.StartAsync("b");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private string[] Endpoints => [$"a.default.svc.cluster.local:80=http://127.0.0.1:{_a.Port}", $"b.default.svc.cluster.local:80=http://127.0.0.1:{_b.Port}"];

    private const string Gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---

        """;

    private static async Task<(HttpStatusCode Status, string Body)> Get(HttpClient client, string url, params (string, string)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Uri_exact_prefix_and_regex_match_the_path_without_query_first_match_wins()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
              - match: [{uri: {exact: /exact}}]
                route: [{destination: {host: a}}]
              - match: [{uri: {regex: "/re/(?P<id>[0-9]+)"}}]
                route: [{destination: {host: b}}]
              - match: [{uri: {prefix: /pre}}]
                route: [{destination: {host: a}}]
            """, Endpoints);
        var client = gw.Client(80);

        Assert.Equal((HttpStatusCode.OK, "a /exact?x=1"), await Get(client, "http://x/exact?x=1"));
        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "http://x/exact/")).Status);
        Assert.Equal((HttpStatusCode.OK, "b /re/42"), await Get(client, "http://x/re/42"));
        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "http://x/re/42x")).Status);
        Assert.Equal((HttpStatusCode.OK, "a /prefix-is-a-string-prefix"), await Get(client, "http://x/prefix-is-a-string-prefix"));
    }

    [Fact]
    public async Task IgnoreUriCase_makes_exact_and_prefix_case_insensitive()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /api}, ignoreUriCase: true}]
                route: [{destination: {host: a}}]
            """, Endpoints);
        var client = gw.Client(80);

        Assert.Equal((HttpStatusCode.OK, "a /API/x"), await Get(client, "http://x/API/x"));
    }

    [Fact]
    public async Task Headers_withoutHeaders_query_method_authority_and_scheme_conditions_all_hold()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
              - match: [{headers: {end-user: {exact: jason}}}]
                route: [{destination: {host: b}}]
              - match: [{headers: {x-present: {}}}]
                route: [{destination: {host: b}}]
              - match: [{queryParams: {v: {regex: "[0-9]+"}}}]
                route: [{destination: {host: b}}]
              - match: [{method: {exact: POST}, uri: {exact: /post}}]
                route: [{destination: {host: b}}]
              - match: [{authority: {prefix: special}}]
                route: [{destination: {host: b}}]
              - match: [{scheme: {exact: https}}]
                route: [{destination: {host: b}}]
              - match: [{withoutHeaders: {end-user: {exact: jason}}}]
                route: [{destination: {host: a}}]
            """, Endpoints);
        var client = gw.Client(80);

        Assert.Equal("b /h", (await Get(client, "http://x/h", ("end-user", "jason"))).Body);
        Assert.Equal("b /p", (await Get(client, "http://x/p", ("x-present", ""))).Body);
        Assert.Equal("b /q?v=12", (await Get(client, "http://x/q?v=12")).Body);
        Assert.Equal("a /q?v=1a", (await Get(client, "http://x/q?v=1a")).Body);
        Assert.Equal("b /any", (await Get(client, "http://special.example.com:7/any")).Body);
        Assert.Equal("a /get", (await Get(client, "http://x/get")).Body);
        using var post = await client.PostAsync("http://x/post", new StringContent("body"));
        Assert.Equal("b /post", await post.Content.ReadAsStringAsync());
        Assert.Equal("POST", _b.Last.Method);
    }

    [Fact]
    public async Task A_catch_all_rule_ends_the_list_and_catch_alls_of_several_virtual_services_go_last()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: first, creationTimestamp: "2024-01-01T00:00:00Z"}
            spec:
              hosts: [shop.example.com]
              gateways: [gw]
              http:
              - route: [{destination: {host: a}}]
              - match: [{uri: {prefix: /never}}]
                route: [{destination: {host: b}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: second, creationTimestamp: "2024-02-01T00:00:00Z"}
            spec:
              hosts: [shop.example.com]
              gateways: [gw]
              http:
              - match: [{uri: {prefix: /cart}}]
                route: [{destination: {host: b}}]
            """, Endpoints);
        var client = gw.Client(80);

        Assert.Equal("b /cart/1", (await Get(client, "http://shop.example.com/cart/1")).Body);
        Assert.Equal("a /never", (await Get(client, "http://shop.example.com/never")).Body);
    }

    [Fact]
    public async Task Host_selection_prefers_exact_then_the_longest_wildcard_then_star_ignoring_the_port()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: exact}
            spec:
              hosts: [api.example.com]
              gateways: [gw]
              http: [{directResponse: {status: 200, body: {string: exact}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: wild}
            spec:
              hosts: ["*.example.com"]
              gateways: [gw]
              http: [{directResponse: {status: 200, body: {string: wild}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: longer}
            spec:
              hosts: ["*.eu.example.com"]
              gateways: [gw]
              http: [{directResponse: {status: 200, body: {string: longer}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: any}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http: [{directResponse: {status: 200, body: {string: any}}}]
            """, Endpoints);
        var client = gw.Client(80);

        Assert.Equal("exact", (await Get(client, "http://api.example.com:12345/")).Body);
        Assert.Equal("wild", (await Get(client, "http://www.example.com/")).Body);
        Assert.Equal("longer", (await Get(client, "http://shop.eu.example.com/")).Body);
        Assert.Equal("any", (await Get(client, "http://example.com/")).Body);
    }

    [Fact]
    public async Task A_virtual_service_without_the_gateway_or_not_exported_to_its_namespace_does_not_bind()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: mesh-only}
            spec:
              hosts: [a.example.com]
              http: [{directResponse: {status: 200, body: {string: mesh}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: private}
            spec:
              hosts: [b.example.com]
              gateways: [gw]
              exportTo: ["."]
              http: [{directResponse: {status: 200, body: {string: private}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: other-ns, namespace: shop}
            spec:
              hosts: [c.example.com]
              gateways: [gw]
              http: [{directResponse: {status: 200, body: {string: shop}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: qualified, namespace: shop}
            spec:
              hosts: [d.example.com]
              gateways: [default/gw]
              http: [{directResponse: {status: 200, body: {string: qualified}}}]
            """, Endpoints);
        var client = gw.Client(80);

        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "http://a.example.com/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "http://b.example.com/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "http://c.example.com/")).Status);
        Assert.Equal("qualified", (await Get(client, "http://d.example.com/")).Body);
    }

    [Fact]
    public async Task Server_host_namespace_prefix_admits_only_virtual_services_of_that_namespace()
    {
        await using var gw = await GatewayHarness.StartAsync("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["shop/*.example.com"]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: in-shop, namespace: shop}
            spec:
              hosts: [a.example.com]
              gateways: [default/gw]
              http: [{directResponse: {status: 200, body: {string: shop}}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: elsewhere, namespace: default}
            spec:
              hosts: [b.example.com]
              gateways: [gw]
              http: [{directResponse: {status: 200, body: {string: default}}}]
            """, Endpoints);
        var client = gw.Client(80);

        Assert.Equal("shop", (await Get(client, "http://a.example.com/")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await Get(client, "http://b.example.com/")).Status);
    }

    [Fact]
    public async Task Gateways_whose_selector_does_not_match_the_gateway_labels_are_not_served()
    {
        await using var gw = await GatewayHarness.StartAsync("""
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
            kind: Gateway
            metadata: {name: egress}
            spec:
              selector: {istio: egressgateway}
              servers:
              - port: {number: 81, name: http, protocol: HTTP}
                hosts: ["*"]
            """);

        Assert.Equal([80], gw.Host.Snapshots.Current.Listeners.Keys.ToArray());
    }

    [Fact]
    public async Task Match_port_and_per_match_gateways_filter_rules_statically()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
              - match: [{port: 8000}]
                directResponse: {status: 200, body: {string: other-port}}
              - match: [{gateways: [other]}]
                directResponse: {status: 200, body: {string: other-gateway}}
              - directResponse: {status: 200, body: {string: fallback}}
            """, Endpoints);

        Assert.Equal("fallback", (await Get(gw.Client(80), "http://x/")).Body);
    }

    [Fact]
    public async Task Weighted_destinations_share_traffic_and_subsets_pick_endpoints_by_label()
    {
        await using var gw = await GatewayHarness.StartAsync(Gateway + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec:
              hosts: ["*"]
              gateways: [gw]
              http:
              - route:
                - {destination: {host: svc, subset: v1}, weight: 50}
                - {destination: {host: svc, subset: v2}, weight: 50}
                - {destination: {host: svc, subset: v3}, weight: 0}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: svc}
            spec:
              host: svc
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
              - {name: v3, labels: {version: v3}}
            """,
            [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{_a.Port};version=v1", $"svc.default.svc.cluster.local:80=http://127.0.0.1:{_b.Port};version=v2"]);
        var client = gw.Client(80);

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Get(client, "http://x/w")).Status);
        }

        Assert.InRange(_a.Requests.Count, 40, 160);
        Assert.Equal(200, _a.Requests.Count + _b.Requests.Count);
    }
}

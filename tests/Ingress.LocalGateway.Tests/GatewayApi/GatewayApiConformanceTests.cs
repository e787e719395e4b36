using System.Net;
using Microsoft.AspNetCore.Http;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.GatewayApi;

/// <summary>
/// The behaviours the Gateway API conformance suite checks, in this project's own cases and over real sockets: one
/// local gateway serving a Gateway of class istio (and an Istio Gateway beside it), requests sent to its ports, and
/// what came back (status, the backend that answered and the path it saw, the redirect, the rule that matched).
/// </summary>
public sealed class GatewayApiConformanceTests(GatewayApiConformanceTests.Served served)
    : IClassFixture<GatewayApiConformanceTests.Served>
{
    private const string Config = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: infra}
        spec:
          gatewayClassName: istio
          listeners:
            - name: http
              port: 80
              protocol: HTTP
              allowedRoutes: {namespaces: {from: All}}
            - name: same
              port: 81
              protocol: HTTP
            - name: wild
              port: 82
              protocol: HTTP
              hostname: "*.example.com"
            - name: shop
              port: 82
              protocol: HTTP
              hostname: shop.example.com
            - name: https
              port: 443
              protocol: HTTPS
              hostname: secure.test
              tls: {certificateRefs: [{name: secure-cert}]}
        ---
        # Attachment: the same namespace; another namespace where the listener admits only its own; where it admits all.
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: attach-same, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: same}]
          hostnames: [same.test]
          rules: [{backendRefs: [{name: a, port: 80}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: attach-denied, namespace: apps}
        spec:
          parentRefs: [{name: edge, namespace: infra, sectionName: same}]
          hostnames: [denied.test]
          rules: [{backendRefs: [{name: a, port: 80}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: attach-all, namespace: apps}
        spec:
          parentRefs: [{name: edge, namespace: infra, sectionName: http}]
          hostnames: [apps.test]
          rules: [{backendRefs: [{name: a, port: 80}]}]
        ---
        # Backends in another namespace: without a ReferenceGrant (500), with one.
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: cross-namespace, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          hostnames: [cross.test]
          rules:
            - matches: [{path: {type: PathPrefix, value: /no-grant}}]
              backendRefs: [{name: a, namespace: apps, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /granted}}]
              backendRefs: [{name: b, namespace: apps, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: infra-routes-to-b, namespace: apps}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
          to: [{group: "", kind: Service, name: b}]
        ---
        # Listener hostnames: a wildcard listener keeps the route hostnames under it, and leaves shop.example.com to the
        # listener that names it.
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: wild, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: wild}]
          hostnames: [a.example.com, a.example.net, shop.example.com]
          rules: [{backendRefs: [{name: a, port: 80}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: wild-any, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: wild}]
          rules: [{matches: [{path: {type: PathPrefix, value: /any}}], backendRefs: [{name: b, port: 80}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: infra}
        spec:
          parentRefs: [{name: edge, port: 82}]
          hostnames: [shop.example.com]
          rules: [{matches: [{path: {type: PathPrefix, value: /cart}}], backendRefs: [{name: b, port: 80}]}]
        ---
        # Match types and their precedence, each rule tagging its answer with x-rule.
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: match-older, namespace: infra, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          hostnames: [match.test]
          rules:
            - matches: [{path: {type: PathPrefix, value: /api}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: prefix-api}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: Exact, value: /api/exact}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: exact}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /api/v1/}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: prefix-api-v1}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /api}, method: POST}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: method}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-a, value: "1"}]}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: header}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-a, value: "1"}, {name: x-b, type: RegularExpression, value: "[0-9]+"}]}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: two-headers}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /api}, queryParams: [{name: q, value: "1"}]}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: query}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: RegularExpression, value: "/re/v[0-9]+"}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: regex}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /same}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: older-route}]}}]
              backendRefs: [{name: a, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: match-newer, namespace: infra, creationTimestamp: "2026-02-01T00:00:00Z"}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          hostnames: [match.test]
          rules:
            - matches: [{path: {type: PathPrefix, value: /same}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: newer-route}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: catch-all}]}}]
              backendRefs: [{name: a, port: 80}]
        ---
        # Filters.
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: filters, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          hostnames: [filters.test]
          rules:
            - matches: [{path: {type: PathPrefix, value: /headers}}]
              filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-set, value: set}]
                    add: [{name: x-add, value: added}]
                    remove: [x-remove]
                - type: ResponseHeaderModifier
                  responseHeaderModifier:
                    add: [{name: x-response, value: added}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /redirect/scheme}}]
              filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
            - matches: [{path: {type: PathPrefix, value: /redirect/host}}]
              filters: [{type: RequestRedirect, requestRedirect: {hostname: other.test}}]
            - matches: [{path: {type: PathPrefix, value: /redirect/port}}]
              filters: [{type: RequestRedirect, requestRedirect: {port: 8443}}]
            - matches: [{path: {type: PathPrefix, value: /redirect/full}}]
              filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /new}}}]
            - matches: [{path: {type: PathPrefix, value: /redirect/prefix}}]
              filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /moved}}}]
            - matches: [{path: {type: PathPrefix, value: /redirect/permanent}}]
              filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: secure.test, statusCode: 301}}]
            - matches: [{path: {type: PathPrefix, value: /rewrite/full}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /rewrite/prefix}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /rewrite/slash/}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /two/}}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /strip}}]
              filters: [{type: URLRewrite, urlRewrite: {hostname: internal.test, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /mirror}}]
              filters: [{type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}]
              backendRefs: [{name: a, port: 80}]
        ---
        # Weights, backends that do not resolve, timeouts.
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: backends, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          hostnames: [backends.test]
          rules:
            - matches: [{path: {type: PathPrefix, value: /only-a}}]
              backendRefs: [{name: a, port: 80, weight: 1}, {name: b, port: 80, weight: 0}]
            - matches: [{path: {type: PathPrefix, value: /split}}]
              backendRefs: [{name: a, port: 80, weight: 1}, {name: b, port: 80, weight: 1}]
            - matches: [{path: {type: PathPrefix, value: /missing}}]
              backendRefs: [{name: gone, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /zero}}]
              backendRefs: [{name: a, port: 80, weight: 0}]
            - matches: [{path: {type: PathPrefix, value: /slow}}]
              backendRefs: [{name: a, port: 80}]
              timeouts: {request: 300ms}
            - matches: [{path: {type: PathPrefix, value: /slow-backend}}]
              backendRefs: [{name: a, port: 80}]
              timeouts: {request: 10s, backendRequest: 300ms}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GRPCRoute
        metadata: {name: grpc, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          hostnames: [grpc.test]
          rules:
            - matches: [{method: {service: pkg.Greeter, method: SayHello}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: method}]}}]
              backendRefs: [{name: a, port: 80}]
            - matches: [{method: {service: pkg.Greeter}}]
              filters: [{type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-rule, value: service}]}}]
              backendRefs: [{name: b, port: 80}]
        ---
        # HTTPS, and port 80 sending secure.test to it.
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: secure, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: https}]
          hostnames: [secure.test]
          rules: [{backendRefs: [{name: a, port: 80}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: secure-redirect, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          hostnames: [secure.test]
          rules: [{filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301}}]}]
        ---
        # A VirtualService beside them on port 80: its rewrite to / is Envoy's plain prefix replacement.
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: istio-edge, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [vs.test]}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: istio-system}
        spec:
          hosts: [vs.test]
          gateways: [istio-edge]
          http:
            - match: [{uri: {prefix: /strip}}]
              rewrite: {uri: /}
              route: [{destination: {host: a.infra.svc.cluster.local, port: {number: 80}}}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: a, namespace: infra}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b, namespace: infra}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: shadow, namespace: infra}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: a, namespace: apps}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b, namespace: apps}
        spec: {ports: [{name: http, port: 80}]}
        """;

    private readonly Dictionary<string, RecordingBackend> _backends = served.Backends;
    private readonly GatewayHarness _gateway = served.Gateway;
    private readonly PemPair _certificate = served.Certificate;

    /// <summary>
    /// What a request got, in one line: <c>200 a /path</c> (the backend that answered and the path it saw),
    /// <c>302 -> Location</c>, or <c>404</c>; with <c>[rule]</c> when the route tagged its answer with x-rule.
    /// </summary>
    private async Task<string> SendAsync(int port, string method, string url, params string[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        foreach (var header in headers)
        {
            var (name, value) = (header[..header.IndexOf(':', StringComparison.Ordinal)], header[(header.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _gateway.Client(port, trust: port == 443 ? _certificate.Certificate : null).SendAsync(request);
        var status = (int)response.StatusCode;
        var rule = response.Headers.TryGetValues("x-rule", out var rules) ? $" [{string.Join(",", rules)}]" : "";
        if (response.Headers.Location is { } location)
        {
            return $"{status} -> {location}{rule}";
        }

        var body = await response.Content.ReadAsStringAsync();
        return status == 200 ? $"{status} {body}{rule}" : $"{status}{rule}";
    }

    public static TheoryData<string, int, string, string, string[], string> Cases => new()
    {
        // Attachment across namespaces and ReferenceGrants.
        { "a route of the listener's namespace", 81, "GET", "http://same.test/x", [], "200 a /x" },
        { "a route of a namespace the listener does not admit", 81, "GET", "http://denied.test/x", [], "404" },
        { "a route of another namespace on a listener admitting all", 80, "GET", "http://apps.test/x", [], "200 apps-a /x" },
        { "a backend in another namespace without ReferenceGrant", 80, "GET", "http://cross.test/no-grant", [], "500" },
        { "a backend in another namespace with a ReferenceGrant", 80, "GET", "http://cross.test/granted", [], "200 apps-b /granted" },

        // Listener hostnames: intersection and isolation.
        { "a route hostname under the wildcard listener", 82, "GET", "http://a.example.com/x", [], "200 a /x" },
        { "a route hostname outside the wildcard listener", 82, "GET", "http://a.example.net/x", [], "404" },
        { "a route without hostnames takes the listener's wildcard", 82, "GET", "http://b.example.com/any", [], "200 b /any" },
        { "a name a more specific listener names goes to its routes only", 82, "GET", "http://shop.example.com/any", [], "404" },
        { "the specific listener's own route", 82, "GET", "http://shop.example.com/cart", [], "200 b /cart" },

        // Matches and their precedence.
        { "exact before every prefix", 80, "GET", "http://match.test/api/exact", [], "200 a /api/exact [exact]" },
        { "the longest prefix, by segment", 80, "GET", "http://match.test/api/v1/users", [], "200 a /api/v1/users [prefix-api-v1]" },
        { "a prefix matches its path itself, its trailing slash ignored", 80, "GET", "http://match.test/api/v1", [], "200 a /api/v1 [prefix-api-v1]" },
        { "a prefix does not match inside a segment", 80, "GET", "http://match.test/api/v10", [], "200 a /api/v10 [prefix-api]" },
        { "a method match before header matches", 80, "POST", "http://match.test/api/x", ["x-a:1"], "200 a /api/x [method]" },
        { "more header matches first", 80, "GET", "http://match.test/api/x", ["x-a:1", "x-b:42"], "200 a /api/x [two-headers]" },
        { "a header match before a query match", 80, "GET", "http://match.test/api/x?q=1", ["x-a:1"], "200 a /api/x?q=1 [header]" },
        { "a query match before the bare prefix", 80, "GET", "http://match.test/api/x?q=1", [], "200 a /api/x?q=1 [query]" },
        { "a header regex must match the whole value", 80, "GET", "http://match.test/api/x", ["x-a:1", "x-b:4a"], "200 a /api/x [header]" },
        { "a regular expression after every prefix (Istio)", 80, "GET", "http://match.test/re/v2", [], "200 a /re/v2 [catch-all]" },
        { "the older route wins a tie", 80, "GET", "http://match.test/same", [], "200 a /same [older-route]" },

        // Filters.
        { "a response header added", 80, "GET", "http://filters.test/headers", [], "200 a /headers" },
        { "a redirect to another scheme (302, its default port)", 80, "GET", "http://filters.test/redirect/scheme?x=1", [], "302 -> https://filters.test/redirect/scheme?x=1" },
        { "a redirect to another host keeps the request's port", 80, "GET", "http://filters.test/redirect/host", [], "302 -> http://other.test/redirect/host" },
        { "a redirect to a port", 80, "GET", "http://filters.test/redirect/port", [], "302 -> http://filters.test:8443/redirect/port" },
        { "a redirect replacing the whole path", 80, "GET", "http://filters.test/redirect/full/x", [], "302 -> http://filters.test/new" },
        { "a redirect replacing the matched prefix", 80, "GET", "http://filters.test/redirect/prefix/x", [], "302 -> http://filters.test/moved/x" },
        { "a 301 with scheme and host", 80, "GET", "http://filters.test/redirect/permanent/a", [], "301 -> https://secure.test/redirect/permanent/a" },
        // The port the client wrote in Host, as Istio's derivePort and Envoy's Location rules treat it.
        { "a redirect to another scheme keeps a port the Host names", 80, "GET", "http://filters.test:8080/redirect/scheme", [], "302 -> https://filters.test:8080/redirect/scheme" },
        { "a redirect to another scheme drops the Host's :80", 80, "GET", "http://filters.test/redirect/scheme", ["Host:filters.test:80"], "302 -> https://filters.test/redirect/scheme" },
        { "a redirect to another host leaves the Host's port behind", 80, "GET", "http://filters.test:8080/redirect/host", [], "302 -> http://other.test/redirect/host" },
        { "a redirect to a port replaces the Host's port", 80, "GET", "http://filters.test:8080/redirect/port", [], "302 -> http://filters.test:8443/redirect/port" },
        { "a rewrite of the whole path keeps the query", 80, "GET", "http://filters.test/rewrite/full/x?q=1", [], "200 a /one?q=1" },
        { "a prefix rewrite", 80, "GET", "http://filters.test/rewrite/prefix/x", [], "200 a /one/x" },
        { "a prefix rewrite of the prefix itself", 80, "GET", "http://filters.test/rewrite/prefix", [], "200 a /one" },
        { "a prefix rewrite with trailing slashes", 80, "GET", "http://filters.test/rewrite/slash/x", [], "200 a /two/x" },
        { "a prefix rewritten to / by segment", 80, "GET", "http://filters.test/strip/x/y", [], "200 a /x/y" },
        { "the prefix itself rewritten to /", 80, "GET", "http://filters.test/strip", [], "200 a /" },
        { "a VirtualService rewrite to / is Envoy's plain prefix replacement", 80, "GET", "http://vs.test/strip/x", [], "200 a //x" },

        // Backends.
        { "a backend of weight 0 gets nothing", 80, "GET", "http://backends.test/only-a", [], "200 a /only-a" },
        { "a Service that does not exist answers 500", 80, "GET", "http://backends.test/missing", [], "500" },
        { "no backend with a weight answers 500", 80, "GET", "http://backends.test/zero", [], "500" },
        { "timeouts.request answers 504", 80, "GET", "http://backends.test/slow", [], "504" },
        { "timeouts.backendRequest answers 504", 80, "GET", "http://backends.test/slow-backend", [], "504" },

        // gRPC methods as paths.
        { "a gRPC service and method", 80, "POST", "http://grpc.test/pkg.Greeter/SayHello", [], "200 a /pkg.Greeter/SayHello [method]" },
        { "a gRPC service", 80, "POST", "http://grpc.test/pkg.Greeter/SayGoodbye", [], "200 b /pkg.Greeter/SayGoodbye [service]" },
        { "another gRPC service", 80, "POST", "http://grpc.test/pkg.Other/SayHello", [], "404" },

        // HTTPS with the listener's certificate, and port 80 sending clients there.
        { "the HTTPS listener over verified TLS", 443, "GET", "https://secure.test/x", [], "200 a /x" },
        { "port 80 redirects the HTTPS host", 80, "GET", "http://secure.test/x?y=1", [], "301 -> https://secure.test/x?y=1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_request_is_answered_as_Istio_serves_the_Gateway_API(string why, int port, string method, string url,
        string[] headers, string expected)
    {
        var actual = await SendAsync(port, method, url, headers);

        Assert.True(expected == actual, $"{why}: expected {expected}, got {actual}");
    }

    [Fact]
    public async Task Header_filters_change_what_the_backend_sees_and_what_the_client_gets()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://filters.test/headers");
        request.Headers.Add("x-set", "original");
        request.Headers.Add("x-add", "original");
        request.Headers.Add("x-remove", "gone");

        using var response = await _gateway.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["added"], response.Headers.GetValues("x-response"));
        var seen = _backends["a"].Last;
        Assert.Equal("set", seen.Header("x-set"));
        // Appended: the backend gets both values (its server joins the two header lines).
        Assert.Equal("original, added", seen.Header("x-add"));
        Assert.Null(seen.Header("x-remove"));
    }

    [Fact]
    public async Task A_hostname_rewrite_is_the_host_the_backend_sees()
    {
        Assert.Equal("200 a /x", await SendAsync(80, "GET", "http://filters.test/strip/x"));

        Assert.Equal("internal.test", _backends["a"].Last.Host);
    }

    [Fact]
    public async Task A_mirrored_request_reaches_the_mirror_too()
    {
        Assert.Equal("200 a /mirror/m1", await SendAsync(80, "GET", "http://filters.test/mirror/m1"));

        await Poll.UntilAsync(() => _backends["shadow"].Requests.Any(r => r.PathAndQuery == "/mirror/m1"), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Equal_weights_share_the_requests()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 60 && seen.Count < 2; i++)
        {
            seen.Add((await SendAsync(80, "GET", "http://backends.test/split"))[..5]);
        }

        Assert.Equal(["200 a", "200 b"], seen.Order());
    }

    /// <summary>The gateway and its backends, started once for every case of the class.</summary>
    public sealed class Served : IAsyncLifetime
    {
        public Dictionary<string, RecordingBackend> Backends { get; } = [];
        public GatewayHarness Gateway { get; private set; } = null!;
        public PemPair Certificate { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            foreach (var name in new[] { "a", "b", "shadow", "apps-a", "apps-b" })
            {
                Backends[name] = await RecordingBackend.StartAsync(name);
            }

            Backends["a"].On("/slow", async c =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
                await c.Response.WriteAsync("too late");
            });
            Backends["a"].On("/slow-backend", async c =>
            {
                await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
                await c.Response.WriteAsync("too late");
            });
            Certificate = TestCertificates.SelfSigned("CN=secure.test");
            var secret = TestCertificates.KubectlTlsSecretYaml("secure-cert", "infra", Certificate);
            Gateway = await GatewayHarness.StartAsync(Config + "\n---\n" + secret,
            [
                $"a.infra.svc.cluster.local:80=http://127.0.0.1:{Backends["a"].Port}",
                $"b.infra.svc.cluster.local:80=http://127.0.0.1:{Backends["b"].Port}",
                $"shadow.infra.svc.cluster.local:80=http://127.0.0.1:{Backends["shadow"].Port}",
                $"a.apps.svc.cluster.local:80=http://127.0.0.1:{Backends["apps-a"].Port}",
                $"b.apps.svc.cluster.local:80=http://127.0.0.1:{Backends["apps-b"].Port}",
            ]);
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            foreach (var backend in Backends.Values)
            {
                await backend.DisposeAsync();
            }
        }
    }
}

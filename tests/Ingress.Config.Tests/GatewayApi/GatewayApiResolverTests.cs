using Ingress.Config.GatewayApi;
using Ingress.Config.Loading;
using Ingress.Config.Tests.Analysis;

namespace Ingress.Config.Tests.GatewayApi;

/// <summary>
/// Attachment, precedence and status as Istio's controller computes them, one case per behaviour of the Gateway API
/// conformance suite (in this project's own words): the conditions a route and a listener get, and the rules each
/// hostname of a listener serves, in order.
/// </summary>
public sealed class GatewayApiResolverTests
{
    private const string Gateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: infra}
        spec:
          gatewayClassName: istio
          listeners:
            - {name: http, port: 80, protocol: HTTP}

        """;

    private const string Services = """

        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: infra}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: apps}
        spec: {ports: [{port: 80}]}
        """;

    private static GatewayApiState Resolve(string yaml)
    {
        var loaded = ConfigLoader.LoadText(yaml.ReplaceLineEndings("\n"), "test.yaml", new LoadOptions());
        Assert.Equal([], loaded.Diagnostics.Select(d => d.ToString()));
        return GatewayApiResolver.Resolve(loaded.Config);
    }

    /// <summary>Each parent's conditions as <c>parentRefs[i] Type=Status Reason: message</c>.</summary>
    private static List<string> RouteConditions(GatewayApiState state, string name) =>
        state.Routes.Single(r => r.Route.Metadata.Name == name).Parents
            .SelectMany(p => p.Conditions.Select(c => $"parentRefs[{p.Index}] {c}"))
            .ToList();

    private static ResolvedListener Listener(GatewayApiState state, string name, string gateway = "edge") =>
        state.Gateways.Single(g => g.Source.Metadata.Name == gateway).Listeners.Single(l => l.Name == name);

    /// <summary>Each hostname of a listener with its rules in match order: <c>host: route#rule</c>.</summary>
    private static List<string> Served(ResolvedListener listener) =>
        listener.VirtualHosts.SelectMany(v => v.Rules.Select(r => $"{v.Hostname}: {r.Route.Metadata.Name}#{r.RuleIndex}" +
            (r.MatchIndex is > 0 ? $".{r.MatchIndex}" : ""))).ToList();

    private static string Route(string name, string ns, string spec) => $"""

        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
        {spec}
        """;

    public static TheoryData<string, string, string[]> Attachments => new()
    {
        {
            "same namespace, default allowedRoutes",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=True (Accepted): Route was valid", "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "another namespace, default allowedRoutes (Same)",
            Gateway + Route("r", "apps", "  parentRefs: [{name: edge, namespace: infra}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=False (NotAllowedByListeners): hostnames matched parent hostname \"\", but namespace \"apps\" is not allowed by the parent",
             "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "another namespace, allowedRoutes All",
            Gateway.Replace("protocol: HTTP}", "protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}", StringComparison.Ordinal) +
            Route("r", "apps", "  parentRefs: [{name: edge, namespace: infra}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=True (Accepted): Route was valid", "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a namespace selector with the Namespace given",
            Gateway.Replace("protocol: HTTP}", "protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {edge: \"yes\"}}}}}", StringComparison.Ordinal) +
            Route("r", "apps", "  parentRefs: [{name: edge, namespace: infra}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]") +
            "\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: apps, labels: {edge: \"yes\"}}\n",
            ["parentRefs[0] Accepted=True (Accepted): Route was valid", "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a namespace selector without the Namespace",
            Gateway.Replace("protocol: HTTP}", "protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [apps]}]}}}}", StringComparison.Ordinal) +
            Route("r", "apps", "  parentRefs: [{name: edge, namespace: infra}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=False (NotAllowedByListeners): hostnames matched parent hostname \"\", but namespace \"apps\" is not allowed by the parent (the listener selects namespaces by label and the configuration has no Namespace apps to check: include it)",
             "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a sectionName no listener has",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge, sectionName: https}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=False (NoMatchingParent): sectionName \"https\" not found", "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a port no listener has",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge, port: 8080}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=False (NoMatchingParent): port 8080 not found", "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a Gateway that does not exist",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge2}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=False (NoMatchingParent): parent Gateway infra/edge2 not found", "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "no route hostname matches the listener's",
            Gateway.Replace("protocol: HTTP}", "protocol: HTTP, hostname: \"*.example.com\"}", StringComparison.Ordinal) +
            Route("r", "infra", "  parentRefs: [{name: edge}]\n  hostnames: [web.example.net]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=False (NoMatchingListenerHostname): no hostnames matched parent hostname \"*.example.com\"",
             "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a kind the listener does not allow",
            Gateway.Replace("protocol: HTTP}", "protocol: HTTP, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}", StringComparison.Ordinal) +
            Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]"),
            ["parentRefs[0] Accepted=False (NotAllowedByListeners): kind gateway.networking.k8s.io/HTTPRoute is not allowed",
             "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a backend in another namespace without a ReferenceGrant",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: web, namespace: apps, port: 80}]}]"),
            ["parentRefs[0] Accepted=True (Accepted): Route was valid",
             "parentRefs[0] ResolvedRefs=False (RefNotPermitted): backendRef web/apps not accessible to a HTTPRoute in namespace \"infra\" (missing a ReferenceGrant?)"]
        },
        {
            "a backend in another namespace with a ReferenceGrant",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: web, namespace: apps, port: 80}]}]") + """

            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: infra-routes, namespace: apps}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: infra}]
              to: [{group: "", kind: Service}]
            """,
            ["parentRefs[0] Accepted=True (Accepted): Route was valid", "parentRefs[0] ResolvedRefs=True (ResolvedRefs): All references resolved"]
        },
        {
            "a Service that does not exist",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: nothing, port: 80}]}]"),
            ["parentRefs[0] Accepted=True (Accepted): Route was valid",
             "parentRefs[0] ResolvedRefs=False (BackendNotFound): backend(nothing.infra.svc.cluster.local) not found"]
        },
        {
            "a backend kind Istio cannot route to",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{group: example.com, kind: Bucket, name: b, port: 80}]}]"),
            ["parentRefs[0] Accepted=True (Accepted): Route was valid",
             "parentRefs[0] ResolvedRefs=False (InvalidKind): referencing unsupported backendRef: group \"example.com\" kind \"Bucket\""]
        },
        {
            "a Service named by its hostname",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: web.infra.svc.cluster.local, port: 80}]}]"),
            ["parentRefs[0] Accepted=True (Accepted): Route was valid",
             "parentRefs[0] ResolvedRefs=False (InvalidDestination): service name invalid; the name of the Service must be used, not the hostname."]
        },
        {
            "an ExtensionRef filter",
            Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules:\n    - filters: [{type: ExtensionRef, extensionRef: {group: example.com, kind: Auth, name: a}}]\n      backendRefs: [{name: web, port: 80}]"),
            ["parentRefs[0] Accepted=True (Accepted): Route was valid",
             "parentRefs[0] ResolvedRefs=False (InvalidFilter): unsupported filter type \"ExtensionRef\""]
        },
    };

    [Theory]
    [MemberData(nameof(Attachments))]
    public void Route_status_is_what_Istio_reports(string why, string yaml, string[] expected)
    {
        var state = Resolve(yaml + Services);

        Assert.True(expected.SequenceEqual(RouteConditions(state, "r")), $"{why}:\n{string.Join("\n", RouteConditions(state, "r"))}");
    }

    [Fact]
    public void Accepted_routes_are_counted_on_their_listener_and_rejected_ones_are_not()
    {
        var state = Resolve(Gateway +
                            Route("a", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]") +
                            Route("b", "apps", "  parentRefs: [{name: edge, namespace: infra}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]") +
                            Services);

        Assert.Equal(1, Listener(state, "http").AttachedRoutes);
        Assert.Equal(["*: a#0"], Served(Listener(state, "http")));
    }

    [Fact]
    public void A_hard_error_attaches_the_route_but_serves_none_of_its_rules()
    {
        var state = Resolve(Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules:\n    - backendRefs: [{name: web}]\n    - backendRefs: [{name: web, port: 80}]") + Services);

        Assert.Equal(1, Listener(state, "http").AttachedRoutes);
        Assert.Equal([], Served(Listener(state, "http")));
        Assert.Contains("parentRefs[0] ResolvedRefs=False (InvalidDestination): port is required in backendRef", RouteConditions(state, "r"));
    }

    [Fact]
    public void A_backend_that_does_not_resolve_keeps_its_rule_and_its_share()
    {
        var state = Resolve(Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules:\n    - backendRefs: [{name: web, port: 80, weight: 3}, {name: gone, port: 80}]") + Services);

        var rule = Assert.Single(Listener(state, "http").VirtualHosts.Single().Rules);
        Assert.Equal([("web", true, 3), ("gone", false, 1)], rule.Actions.Backends.Select(b => (b.Name, b.Resolves, b.Weight)));
        Assert.Equal("spec.rules[0].backendRefs[1]", Assert.Single(state.Routes.Single().RefProblems).FieldPath);
    }

    [Fact]
    public void No_backend_with_a_weight_answers_500()
    {
        var state = Resolve(Gateway + Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules:\n    - backendRefs: [{name: web, port: 80, weight: 0}]\n    - matches: [{path: {value: /none}}]") + Services);

        Assert.Equal([500, 500], Listener(state, "http").VirtualHosts.Single().Rules.Select(r => r.Actions.DirectStatus));
    }

    public static TheoryData<string, string, string, string[]> Hostnames => new()
    {
        { "no listener hostname, no route hostnames", "", "", ["*: r#0"] },
        { "no listener hostname, route hostnames", "", "[a.example.com, b.example.com]", ["a.example.com: r#0", "b.example.com: r#0"] },
        { "a wildcard listener keeps the route hostnames under it", "*.example.com", "[a.example.com, a.example.net]", ["a.example.com: r#0"] },
        { "a wildcard route hostname narrows to the listener's", "web.example.com", "[\"*.example.com\"]", ["web.example.com: r#0"] },
        { "two wildcards: the more specific", "*.example.com", "[\"*.shop.example.com\"]", ["*.shop.example.com: r#0"] },
        { "no route hostnames take the listener's", "web.example.com", "", ["web.example.com: r#0"] },
    };

    [Theory]
    [MemberData(nameof(Hostnames))]
    public void Route_hostnames_are_intersected_with_the_listener_hostname(string why, string listenerHostname, string routeHostnames,
        string[] expected)
    {
        var listener = listenerHostname.Length == 0 ? "" : $", hostname: \"{listenerHostname}\"";
        var hostnames = routeHostnames.Length == 0 ? "" : $"  hostnames: {routeHostnames}\n";
        var state = Resolve(Gateway.Replace("protocol: HTTP}", $"protocol: HTTP{listener}}}", StringComparison.Ordinal) +
                            Route("r", "infra", $"  parentRefs: [{{name: edge}}]\n{hostnames}  rules: [{{backendRefs: [{{name: web, port: 80}}]}}]") + Services);

        Assert.True(expected.SequenceEqual(Served(Listener(state, "http"))), $"{why}: {string.Join(", ", Served(Listener(state, "http")))}");
    }

    [Fact]
    public void A_wildcard_listener_leaves_a_name_to_the_listener_that_names_it_on_the_same_port()
    {
        var state = Resolve("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: infra}
            spec:
              gatewayClassName: istio
              listeners:
                - {name: wild, port: 80, protocol: HTTP, hostname: "*.example.com"}
                - {name: shop, port: 80, protocol: HTTP, hostname: shop.example.com}
            """ + Route("r", "infra", "  parentRefs: [{name: edge}]\n  hostnames: [shop.example.com, www.example.com]\n  rules: [{backendRefs: [{name: web, port: 80}]}]") + Services);

        Assert.Equal(["www.example.com: r#0"], Served(Listener(state, "wild")));
        Assert.Equal(["shop.example.com: r#0"], Served(Listener(state, "shop")));
        Assert.Equal("Route was valid, bound to 2 parents", RouteConditions(state, "r")[0].Split(": ", 2)[1]);
    }

    [Fact]
    public void Rules_are_tried_exact_then_longest_prefix_then_method_headers_query_then_oldest_route_then_name()
    {
        var state = Resolve(Gateway + """
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: b-newer, namespace: infra, creationTimestamp: "2026-02-01T00:00:00Z"}
            spec:
              parentRefs: [{name: edge}]
              rules:
                - matches: [{path: {type: PathPrefix, value: /}}]
                  backendRefs: [{name: web, port: 80}]
                - matches: [{path: {type: PathPrefix, value: /api}}]
                  backendRefs: [{name: web, port: 80}]
                - matches: [{path: {type: RegularExpression, value: "/api/v[0-9]+/users/.*"}}]
                  backendRefs: [{name: web, port: 80}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: a-older, namespace: infra, creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              parentRefs: [{name: edge}]
              rules:
                - matches: [{path: {type: PathPrefix, value: /api}}]
                  backendRefs: [{name: web, port: 80}]
                - matches: [{path: {type: PathPrefix, value: /api}, method: GET}]
                  backendRefs: [{name: web, port: 80}]
                - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-a, value: "1"}]}]
                  backendRefs: [{name: web, port: 80}]
                - matches:
                    - {path: {type: PathPrefix, value: /api}, queryParams: [{name: q, value: "1"}]}
                    - {path: {type: Exact, value: /api}}
                  backendRefs: [{name: web, port: 80}]
                - matches: [{path: {type: PathPrefix, value: /api/v1/}}]
                  backendRefs: [{name: web, port: 80}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: c-unapplied, namespace: infra}
            spec:
              parentRefs: [{name: edge}]
              rules:
                - matches: [{path: {type: PathPrefix, value: /api}}]
                  backendRefs: [{name: web, port: 80}]
            """ + Services);

        Assert.Equal(
        [
            "*: a-older#3.1",   // Exact /api
            "*: a-older#4",     // the longest prefix, /api/v1 (its trailing / ignored)
            "*: a-older#1",     // /api with a method
            "*: a-older#2",     // /api with one header
            "*: a-older#3",     // /api with one query parameter
            "*: a-older#0",     // /api, the oldest route
            "*: b-newer#1",     // /api, a newer route
            "*: c-unapplied#0", // /api, not applied yet: the newest
            "*: b-newer#0",     // the prefix /
            "*: b-newer#2",     // a regular expression (Istio: after every prefix)
        ], Served(Listener(state, "http")));
    }

    [Fact]
    public void A_grpc_method_becomes_a_path_match_as_Istio_writes_it()
    {
        var state = Resolve(Gateway + """
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: g, namespace: infra}
            spec:
              parentRefs: [{name: edge}]
              rules:
                - matches:
                    - method: {service: pkg.Greeter, method: SayHello}
                    - method: {service: pkg.Greeter}
                    - method: {method: SayHello}
                    - method: {type: RegularExpression, service: "pkg\\..*"}
                    - headers: [{name: x-a, value: "1"}]
                  backendRefs: [{name: web, port: 80}]
            """ + Services);

        var rules = Listener(state, "http").VirtualHosts.Single().Rules;
        Assert.Equal(
        [
            (PathMatchKind.Exact, "/pkg.Greeter/SayHello"),
            (PathMatchKind.Prefix, "/pkg.Greeter/"),
            (PathMatchKind.RegularExpression, "/[^/]+/SayHello"),
            (PathMatchKind.RegularExpression, "/pkg\\..*/.+"),
            (PathMatchKind.Any, ""),
        ], rules.Select(r => (r.Match.PathKind, r.Match.Path)));
    }

    [Fact]
    public void Filters_resolve_to_what_Istio_generates()
    {
        var state = Resolve(Gateway + Route("r", "infra", """
              parentRefs: [{name: edge}]
              rules:
                - matches: [{path: {type: PathPrefix, value: /old/}}]
                  filters:
                    - {type: RequestRedirect, requestRedirect: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}
                - matches: [{path: {type: PathPrefix, value: /http}}]
                  filters:
                    - {type: RequestRedirect, requestRedirect: {scheme: https}}
                - matches: [{path: {type: PathPrefix, value: /port}}]
                  filters:
                    - {type: RequestRedirect, requestRedirect: {port: 8443, statusCode: 301}}
                - matches: [{path: {type: PathPrefix, value: /rewrite}}]
                  filters:
                    - {type: URLRewrite, urlRewrite: {hostname: internal.example.com, path: {type: ReplaceFullPath, replaceFullPath: /x}}}
                    - type: RequestHeaderModifier
                      requestHeaderModifier:
                        set: [{name: X-A, value: "1"}, {name: x-a, value: "2"}]
                        remove: [x-b]
                    - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 80}, fraction: {numerator: 1, denominator: 4}}}
                  backendRefs: [{name: web, port: 80}]
                  timeouts: {request: 10s, backendRequest: 2s}
            """) + Services);

        var rules = Listener(state, "http").VirtualHosts.Single().Rules.ToDictionary(r => r.Match.Path);
        Assert.Equal(new RouteRedirect { PortKind = RedirectPortKind.RequestPort, StatusCode = 302, Path = new PathChange(PathChangeKind.ReplacePrefixMatch, "/new", "/old") },
            rules["/old"].Actions.Redirect);
        Assert.Equal(new RouteRedirect { Scheme = "https", PortKind = RedirectPortKind.SchemeDefault, StatusCode = 302 }, rules["/http"].Actions.Redirect);
        Assert.Equal(new RouteRedirect { Port = 8443, PortKind = RedirectPortKind.Explicit, StatusCode = 301 }, rules["/port"].Actions.Redirect);
        var rewrite = rules["/rewrite"].Actions;
        Assert.Equal(new RouteRewrite("internal.example.com", new PathChange(PathChangeKind.ReplaceFullPath, "/x", "")), rewrite.Rewrite);
        Assert.Equal([KeyValuePair.Create("x-a", "1")], rewrite.RequestHeaders!.Set);
        Assert.Equal(["x-b"], rewrite.RequestHeaders.Remove);
        Assert.Equal(25.0, Assert.Single(rewrite.Mirrors).Percent);
        Assert.Equal(TimeSpan.FromSeconds(2), rewrite.Timeout);
    }

    [Fact]
    public void Listener_conditions_report_protocols_certificates_and_route_kinds()
    {
        var (cert, key) = TestCertificates.Valid("web.example.com");
        var state = Resolve($$$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: infra}
            spec:
              gatewayClassName: istio
              listeners:
                - {name: ok, port: 443, protocol: HTTPS, hostname: web.example.com, tls: {certificateRefs: [{name: web-cert}]}}
                - {name: missing, port: 443, protocol: HTTPS, hostname: a.example.com, tls: {certificateRefs: [{name: none}]}}
                - {name: elsewhere, port: 443, protocol: HTTPS, hostname: b.example.com, tls: {certificateRefs: [{name: web-cert, namespace: certs}]}}
                - {name: tcp, port: 5432, protocol: TCP}
                - {name: kinds, port: 81, protocol: HTTP, allowedRoutes: {kinds: [{kind: TCPRoute}]}}
            ---
            {{{TestCertificates.SecretYaml("web-cert", "infra", cert, key)}}}
            ---
            {{{TestCertificates.SecretYaml("web-cert", "certs", cert, key)}}}
            """);

        string Negative(string name) => string.Join(" | ", Listener(state, name).Conditions.Where(c => c.Status == (c.Type == ConditionTypes.Conflicted)));
        Assert.Equal("", Negative("ok"));
        Assert.True(Listener(state, "ok").Serves);
        Assert.Equal([("infra", "web-cert")], Listener(state, "ok").Certificates);
        Assert.Equal("Programmed=False (Invalid): Bad TLS configuration | ResolvedRefs=False (InvalidCertificateRef): invalid certificate reference /Secret/none., secret infra/none not found", Negative("missing"));
        Assert.Equal("Programmed=False (Invalid): Bad TLS configuration | ResolvedRefs=False (RefNotPermitted): certificateRef web-cert/certs not accessible to a Gateway in namespace \"infra\" (missing a ReferenceGrant?)", Negative("elsewhere"));
        Assert.Equal("Accepted=False (UnsupportedProtocol): protocol \"TCP\" is supported, but only when PILOT_ENABLE_ALPHA_GATEWAY_API=true is configured | Programmed=False (Invalid): the listener is not served: its protocol is not supported", Negative("tcp"));
        Assert.Equal("ResolvedRefs=False (InvalidRouteKinds): Invalid route kinds", Negative("kinds"));
    }

    [Fact]
    public void A_certificate_cert_manager_issues_for_the_gateway_counts_as_present()
    {
        var state = Resolve("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: edge
              namespace: infra
              annotations: {cert-manager.io/cluster-issuer: letsencrypt}
            spec:
              gatewayClassName: istio
              listeners:
                - {name: https, port: 443, protocol: HTTPS, hostname: web.example.com, tls: {certificateRefs: [{name: web-cert}]}}
            """);

        Assert.True(Listener(state, "https").Serves);
    }

    [Fact]
    public void A_gateway_of_another_class_is_left_alone()
    {
        var state = Resolve(Gateway.Replace("gatewayClassName: istio", "gatewayClassName: nginx", StringComparison.Ordinal) +
                            Route("r", "infra", "  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: web, port: 80}]}]") + Services);

        var gateway = state.Gateways.Single();
        Assert.False(gateway.Served);
        Assert.Equal("its class nginx is neither Istio's built-in class istio nor a GatewayClass of the configuration with controllerName istio.io/gateway-controller", gateway.NotServedReason);
        Assert.Equal([], RouteConditions(state, "r"));
    }
}

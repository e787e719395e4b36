using YamlDotNet.RepresentationModel;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>The edge of the rendered overlays: the user's routes, the canary, the HTTPS redirect and the ACME path.</summary>
public sealed class EdgeRoutingTests
{
    private const string Service = "httpserver.httpserver.svc.cluster.local";

    [KubectlFact]
    public void Local_overlay_keeps_the_users_routes_with_their_rewrites()
    {
        var vs = Manifest.RenderOverlay("local").Single("VirtualService", "istio-system", "httpsserver");
        var rules = vs.Sequence("spec.http");

        var hello = Rule(rules, "hello");
        Assert.Equal("/test/hello", hello.Scalar("match.0.uri.exact"));
        Assert.Equal("/hello", hello.Scalar("rewrite.uri"));
        var metrics = Rule(rules, "metrics");
        Assert.Equal("/test/metrics", metrics.Scalar("match.0.uri.prefix"));
        Assert.Equal("/metrics", metrics.Scalar("rewrite.uri"));
        Assert.Equal(Service, metrics.Scalar("route.0.destination.host"));
        Assert.Equal("80", metrics.Scalar("route.0.destination.port.number"));
        Assert.Equal(new[] { "httpsserver" }, vs.Sequence("spec.gateways").Select(g => ((YamlScalarNode)g).Value));
        Assert.Equal(new[] { "httpsserver.kuopenx.io" }, vs.Sequence("spec.hosts").Select(h => ((YamlScalarNode)h).Value));
    }

    [KubectlFact]
    public void Header_canary_rule_comes_before_the_weighted_rule_for_the_same_path()
    {
        var rules = Manifest.RenderOverlay("local").Single("VirtualService", "istio-system", "httpsserver").Sequence("spec.http");
        var names = rules.Select(r => r.Scalar("name")).ToList();

        Assert.True(names.IndexOf("hello-canary") < names.IndexOf("hello"), $"rule order was {string.Join(", ", names)}");
        var canary = Rule(rules, "hello-canary");
        Assert.Equal("true", canary.Scalar("match.0.headers.x-canary.exact"));
        Assert.Equal("/test/hello", canary.Scalar("match.0.uri.exact"));
        Assert.Equal("v2", canary.Scalar("route.0.destination.subset"));
        Assert.Single(canary.Sequence("route"));

        var weighted = Rule(rules, "hello");
        Assert.Equal(
            new (string?, string?)[] { ("v1", "90"), ("v2", "10") },
            weighted.Sequence("route").Select(d => (d.Scalar("destination.subset"), d.Scalar("weight"))).ToArray());
    }

    [KubectlFact]
    public void Hello_routes_retry_idempotent_failures_within_their_timeout()
    {
        var rules = Manifest.RenderOverlay("local").Single("VirtualService", "istio-system", "httpsserver").Sequence("spec.http");

        foreach (var name in new[] { "hello-canary", "hello" })
        {
            var rule = Rule(rules, name);
            Assert.Equal("3", rule.Scalar("retries.attempts"));
            Assert.Equal("2s", rule.Scalar("retries.perTryTimeout"));
            Assert.Equal("5xx,reset,connect-failure,refused-stream", rule.Scalar("retries.retryOn"));
            Assert.Equal("10s", rule.Scalar("timeout"));
        }
    }

    [KubectlFact]
    public void Fault_demo_route_aborts_every_request_with_503()
    {
        var rule = Rule(Manifest.RenderOverlay("local").Single("VirtualService", "istio-system", "httpsserver").Sequence("spec.http"), "fault-demo");

        Assert.Equal("/test/fault", rule.Scalar("match.0.uri.exact"));
        Assert.Equal("503", rule.Scalar("fault.abort.httpStatus"));
        Assert.Equal("100", rule.Scalar("fault.abort.percentage.value"));
    }

    [KubectlTheory]
    [MemberData(nameof(OverlayRenderTests.Overlays), MemberType = typeof(OverlayRenderTests))]
    public void Every_route_destination_is_a_fully_qualified_service_of_the_same_overlay(string overlay)
    {
        var objects = Manifest.RenderOverlay(overlay);
        var services = objects.Where(o => o.Kind == "Service").Select(o => $"{o.Name}.{o.Namespace}.svc.cluster.local").ToHashSet(StringComparer.Ordinal);
        var subsets = objects.Where(o => o.Kind == "DestinationRule")
            .SelectMany(dr => dr.Sequence("spec.subsets").Select(s => $"{dr.Scalar("spec.host")}/{s.Scalar("name")}"))
            .ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var vs in objects.Where(o => o.Kind == "VirtualService"))
        {
            var rules = vs.Sequence("spec.http");
            for (var i = 0; i < rules.Count; i++)
            {
                var routes = rules[i].Sequence("route");
                for (var j = 0; j < routes.Count; j++)
                {
                    var host = routes[j].Scalar("destination.host") ?? string.Empty;
                    var subset = routes[j].Scalar("destination.subset");
                    var at = $"{vs.Id} spec.http[{i}].route[{j}].destination";
                    if (!services.Contains(host))
                    {
                        problems.Add($"{at}.host {host} is not a Service of this overlay (write <name>.<namespace>.svc.cluster.local)");
                    }

                    if (subset is not null && !subsets.Contains($"{host}/{subset}"))
                    {
                        problems.Add($"{at}.subset {subset} is not defined by a DestinationRule for {host}");
                    }
                }
            }
        }

        Assert.Empty(problems);
    }

    [KubectlTheory]
    [InlineData("local")]
    [InlineData("dev")]
    public void Port_80_redirects_to_https_on_the_gateway_without_acme(string overlay)
    {
        var objects = Manifest.RenderOverlay(overlay);
        var gateway = objects.Single("Gateway", "istio-system", "httpsserver-http");

        Assert.Equal("80", gateway.Scalar("spec.servers.0.port.number"));
        Assert.Equal("HTTP", gateway.Scalar("spec.servers.0.port.protocol"));
        Assert.Equal("true", gateway.Scalar("spec.servers.0.tls.httpsRedirect"));
        Assert.DoesNotContain(objects, o => o.Kind == "VirtualService" && o.Name == "httpsserver-http");
    }

    [KubectlFact]
    public void Production_port_80_sends_the_acme_challenge_to_the_solver_and_redirects_everything_else()
    {
        var objects = Manifest.RenderOverlay("production");
        var gateway = objects.Single("Gateway", "istio-system", "httpsserver-http");
        var vs = objects.Single("VirtualService", "istio-system", "httpsserver-http");
        var rules = vs.Sequence("spec.http");

        // httpsRedirect would answer the challenge with 301 before any route is looked at.
        Assert.Null(gateway.Node("spec.servers.0.tls"));
        Assert.Equal(new[] { "httpsserver-http" }, vs.Sequence("spec.gateways").Select(g => ((YamlScalarNode)g).Value));
        Assert.Equal(2, rules.Count);
        Assert.Equal("/.well-known/acme-challenge/", rules[0].Scalar("match.0.uri.prefix"));
        Assert.Equal("acme-http01-solver.istio-system.svc.cluster.local", rules[0].Scalar("route.0.destination.host"));
        Assert.Equal("8089", rules[0].Scalar("route.0.destination.port.number"));
        Assert.Null(Yaml.Walk(rules[1], "match"));
        Assert.Equal("https", rules[1].Scalar("redirect.scheme"));
    }

    [KubectlFact]
    public void Production_solver_service_selects_the_pods_the_acme_issuers_create()
    {
        var objects = Manifest.RenderOverlay("production");
        var service = objects.Single("Service", "istio-system", "acme-http01-solver");
        var selector = service.Root.StringMap("spec.selector");

        Assert.Equal("true", selector["acme.cert-manager.io/http01-solver"]);
        Assert.Equal("8089", service.Scalar("spec.ports.0.targetPort"));
        foreach (var issuer in objects.Where(o => o.Kind == "Issuer" && o.Scalar("spec.acme.server") is not null))
        {
            Assert.Equal("istio-system", issuer.Namespace);
            var ingress = issuer.Node("spec.acme.solvers.0.http01.ingress");
            Assert.NotNull(ingress);
            var podLabels = ingress.StringMap("podTemplate.metadata.labels");
            foreach (var (key, value) in selector.Where(kv => kv.Key != "acme.cert-manager.io/http01-solver"))
            {
                Assert.True(
                    podLabels.TryGetValue(key, out var actual) && actual == value,
                    $"{issuer.Id}: solver pods lack the label {key}={value} that Service acme-http01-solver selects");
            }
        }
    }

    private static YamlNode Rule(IReadOnlyList<YamlNode> rules, string name) =>
        rules.SingleOrDefault(r => r.Scalar("name") == name) ?? throw new Xunit.Sdk.XunitException($"no http rule named {name}");
}

using YamlDotNet.RepresentationModel;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>
/// The overlays under deploy/overlays/gateway-api as rendered: the same edge as the Istio overlays written as a Gateway
/// and HTTPRoutes, its certificate from cert-manager's Gateway annotation, and the security policies retargeted at
/// the Gateway's own pods.
/// </summary>
public sealed class GatewayApiKitTests
{
    private const string GatewayPrincipal = "cluster.local/ns/istio-system/sa/httpsserver-istio";

    public static TheoryData<string> GatewayApiOverlays() => new() { "gateway-api/local", "gateway-api/dev", "gateway-api/production" };

    [KubectlTheory]
    [MemberData(nameof(GatewayApiOverlays))]
    public void Https_listener_terminates_tls_with_the_secret_and_admits_the_application_namespace(string overlay)
    {
        var gateway = Manifest.RenderOverlay(overlay).Single("Gateway", "istio-system", "httpsserver");
        var https = Listener(gateway, "https");
        var http = Listener(gateway, "http");

        Assert.Equal("istio", gateway.Scalar("spec.gatewayClassName"));
        Assert.Equal(("443", "HTTPS", "httpsserver.kuopenx.io"), (https.Scalar("port"), https.Scalar("protocol"), https.Scalar("hostname")));
        Assert.Equal("Terminate", https.Scalar("tls.mode"));
        Assert.Equal("httpserver-credential", https.Scalar("tls.certificateRefs.0.name"));
        Assert.Equal("httpserver", Labels(https)["kubernetes.io/metadata.name"]);
        Assert.Equal(("80", "HTTP", "Same"), (http.Scalar("port"), http.Scalar("protocol"), http.Scalar("allowedRoutes.namespaces.from")));
    }

    [KubectlTheory]
    [InlineData("gateway-api/dev", "httpserver-ca")]
    [InlineData("gateway-api/production", "letsencrypt-prod")]
    public void The_gateway_annotation_names_an_issuer_of_its_namespace(string overlay, string issuer)
    {
        var objects = Manifest.RenderOverlay(overlay);
        var annotations = objects.Single("Gateway", "istio-system", "httpsserver").Root.StringMap("metadata.annotations");

        Assert.Equal(issuer, annotations["cert-manager.io/issuer"]);
        // cert-manager creates the Certificate in the Gateway's namespace, and an Issuer only signs in its own.
        objects.Single("Issuer", "istio-system", issuer);
        Assert.Equal("Always", annotations["cert-manager.io/private-key-rotation-policy"]);
        Assert.Equal("digital signature,key encipherment,server auth", annotations["cert-manager.io/usages"]);
        Assert.DoesNotContain(objects, o => o.Kind == "Certificate" && o.Name == "httpserver");
    }

    [KubectlFact]
    public void Local_gateway_has_no_cert_manager_annotation()
    {
        var gateway = Manifest.RenderOverlay("gateway-api/local").Single("Gateway", "istio-system", "httpsserver");

        Assert.Null(gateway.Node("metadata.annotations"));
    }

    [KubectlTheory]
    [MemberData(nameof(GatewayApiOverlays))]
    public void Port_80_redirects_everything_to_https_with_301(string overlay)
    {
        var route = Manifest.RenderOverlay(overlay).Single("HTTPRoute", "istio-system", "httpsserver-http");
        var rule = Assert.Single(route.Sequence("spec.rules"));

        Assert.Equal(("httpsserver", "http"), (route.Scalar("spec.parentRefs.0.name"), route.Scalar("spec.parentRefs.0.sectionName")));
        Assert.Null(Yaml.Walk(rule, "matches"));
        Assert.Equal("RequestRedirect", rule.Scalar("filters.0.type"));
        Assert.Equal(("https", "301"), (rule.Scalar("filters.0.requestRedirect.scheme"), rule.Scalar("filters.0.requestRedirect.statusCode")));
        Assert.Null(Yaml.Walk(rule, "backendRefs"));
    }

    [KubectlFact]
    public void Production_acme_issuers_solve_http01_with_a_route_on_the_http_listener()
    {
        var objects = Manifest.RenderOverlay("gateway-api/production");
        var issuers = objects.Where(o => o.Kind == "Issuer" && o.Scalar("spec.acme.server") is not null).ToList();

        Assert.Equal(2, issuers.Count);
        foreach (var issuer in issuers)
        {
            var solver = issuer.Node("spec.acme.solvers.0.http01")!;
            Assert.Null(Yaml.Walk(solver, "ingress"));
            Assert.Equal("Gateway", solver.Scalar("gatewayHTTPRoute.parentRefs.0.kind"));
            Assert.Equal("httpsserver", solver.Scalar("gatewayHTTPRoute.parentRefs.0.name"));
            Assert.Equal("istio-system", solver.Scalar("gatewayHTTPRoute.parentRefs.0.namespace"));
            Assert.Equal("http", solver.Scalar("gatewayHTTPRoute.parentRefs.0.sectionName"));
            // The solver's route is created in the Certificate's namespace, which the Gateway's, which `Same` admits.
            Assert.Equal("istio-system", issuer.Namespace);
        }

        Assert.DoesNotContain(objects, o => o.Kind == "VirtualService");
    }

    [KubectlTheory]
    [MemberData(nameof(GatewayApiOverlays))]
    public void Gateway_policies_target_the_gateway_and_the_workload_admits_its_identity(string overlay)
    {
        var objects = Manifest.RenderOverlay(overlay);

        foreach (var policy in new[]
                 {
                     objects.Single("RequestAuthentication", "istio-system", "httpsserver-jwt"),
                     objects.Single("AuthorizationPolicy", "istio-system", "httpsserver-require-jwt"),
                 })
        {
            Assert.Null(policy.Node("spec.selector"));
            var target = Assert.Single(policy.Sequence("spec.targetRefs"));
            Assert.Equal(("gateway.networking.k8s.io", "Gateway", "httpsserver"),
                (target.Scalar("group"), target.Scalar("kind"), target.Scalar("name")));
        }

        foreach (var policy in objects.Where(o => o.Kind == "AuthorizationPolicy" && o.Name.StartsWith("httpserver-allow-ingress-gateway", StringComparison.Ordinal)))
        {
            Assert.Equal(GatewayPrincipal, policy.Scalar("spec.rules.0.from.0.source.principals.0"));
        }

        Assert.DoesNotContain(objects, o => o.Kind is "VirtualService" || (o.Kind == "Gateway" && o.ApiVersion.StartsWith("networking.istio.io", StringComparison.Ordinal)));
    }

    [KubectlTheory]
    [MemberData(nameof(GatewayApiOverlays))]
    public void Every_backend_is_a_service_port_of_the_same_overlay(string overlay)
    {
        var objects = Manifest.RenderOverlay(overlay);
        var ports = objects.Where(o => o.Kind == "Service")
            .SelectMany(s => s.Sequence("spec.ports").Select(p => $"{s.Namespace}/{s.Name}:{p.Scalar("port")}"))
            .ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var route in objects.Where(o => o.Kind == "HTTPRoute"))
        {
            var rules = route.Sequence("spec.rules");
            for (var i = 0; i < rules.Count; i++)
            {
                var backends = Yaml.Walk(rules[i], "backendRefs") is YamlSequenceNode list ? list.Children : [];
                for (var j = 0; j < backends.Count; j++)
                {
                    var key = $"{backends[j].Scalar("namespace") ?? route.Namespace}/{backends[j].Scalar("name")}:{backends[j].Scalar("port")}";
                    if (!ports.Contains(key))
                    {
                        problems.Add($"{route.Id} spec.rules[{i}].backendRefs[{j}]: {key} is not a Service port of this overlay");
                    }
                }
            }
        }

        Assert.Empty(problems);
    }

    [KubectlFact]
    public void The_routes_are_the_virtual_services_rules_but_the_fault_demonstration()
    {
        var istio = Manifest.RenderOverlay("local").Where(o => o.Kind == "VirtualService")
            .SelectMany(vs => vs.Sequence("spec.http")).Select(r => r.Scalar("name")).ToList();
        var gatewayApi = Manifest.RenderOverlay("gateway-api/local").Where(o => o.Kind == "HTTPRoute" && o.Namespace == "httpserver")
            .SelectMany(route => route.Sequence("spec.rules")).Select(r => r.Scalar("name")).ToList();

        Assert.Equal(istio.Where(n => n != "fault-demo").Order(StringComparer.Ordinal), gatewayApi.Order(StringComparer.Ordinal));
    }

    private static YamlNode Listener(KubeObject gateway, string name) =>
        gateway.Sequence("spec.listeners").Single(l => l.Scalar("name") == name);

    private static IReadOnlyDictionary<string, string> Labels(YamlNode listener) =>
        listener.StringMap("allowedRoutes.namespaces.selector.matchLabels");
}

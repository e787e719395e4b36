using System.Security.Cryptography;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>The security policies as rendered: who may call the service, /metrics, and the JWT on /test/secure.</summary>
public sealed class SecurityPolicyTests
{
    private const string GatewayPrincipal = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";

    [KubectlTheory]
    [InlineData("local")]
    [InlineData("dev")]
    [InlineData("production")]
    public void Namespace_requires_mutual_tls_and_has_sidecar_injection(string overlay)
    {
        var objects = Manifest.RenderOverlay(overlay);

        Assert.Equal("STRICT", objects.Single("PeerAuthentication", "httpserver", "default").Scalar("spec.mtls.mode"));
        Assert.Equal("enabled", objects.Single("Namespace", null, "httpserver").Scalar("metadata.labels.istio-injection"));
    }

    [KubectlTheory]
    [MemberData(nameof(OverlayRenderTests.Overlays), MemberType = typeof(OverlayRenderTests))]
    public void Every_namespace_says_whether_it_is_in_the_mesh(string overlay)
    {
        foreach (var ns in Manifest.RenderOverlay(overlay).Where(o => o.Kind == "Namespace"))
        {
            Assert.Contains(ns.Scalar("metadata.labels.istio-injection"), new[] { "enabled", "disabled" });
        }
    }

    [KubectlFact]
    public void Gateway_policy_excludes_metrics_so_the_or_of_allow_policies_keeps_metrics_to_monitoring()
    {
        var objects = Manifest.RenderOverlay("production");
        var gateway = objects.Single("AuthorizationPolicy", "httpserver", "httpserver-allow-ingress-gateway");
        var monitoring = objects.Single("AuthorizationPolicy", "httpserver", "httpserver-allow-metrics-from-monitoring");

        Assert.Equal("ALLOW", gateway.Scalar("spec.action"));
        Assert.Equal(new[] { GatewayPrincipal }, Strings(gateway, "spec.rules.0.from.0.source.principals"));
        Assert.Equal(new[] { "/metrics", "/metrics/*" }, Strings(gateway, "spec.rules.0.to.0.operation.notPaths"));
        Assert.Equal("ALLOW", monitoring.Scalar("spec.action"));
        Assert.Equal(new[] { "monitoring" }, Strings(monitoring, "spec.rules.0.from.0.source.namespaces"));
        Assert.Equal(new[] { "/metrics" }, Strings(monitoring, "spec.rules.0.to.0.operation.paths"));
        Assert.DoesNotContain(objects, o => o.Kind == "AuthorizationPolicy" && o.Name == "httpserver-allow-ingress-gateway-metrics");
        foreach (var policy in objects.Where(o => o.Kind == "AuthorizationPolicy" && o.Namespace == "httpserver"))
        {
            Assert.Equal("httpserver", policy.Scalar("spec.selector.matchLabels.app"));
        }
    }

    [KubectlFact]
    public void Secure_path_is_denied_without_a_verified_token_at_the_gateway()
    {
        var objects = Manifest.RenderOverlay("local");
        var deny = objects.Single("AuthorizationPolicy", "istio-system", "httpsserver-require-jwt");
        var authn = objects.Single("RequestAuthentication", "istio-system", "httpsserver-jwt");

        Assert.Equal("DENY", deny.Scalar("spec.action"));
        Assert.Equal("ingressgateway", deny.Scalar("spec.selector.matchLabels.istio"));
        Assert.Equal(new[] { "*" }, Strings(deny, "spec.rules.0.from.0.source.notRequestPrincipals"));
        Assert.Equal(new[] { "/test/secure", "/test/secure/*" }, Strings(deny, "spec.rules.0.to.0.operation.paths"));
        Assert.Equal("ingressgateway", authn.Scalar("spec.selector.matchLabels.istio"));
        Assert.Equal("https://local-test-issuer.httpserver.test", authn.Scalar("spec.jwtRules.0.issuer"));
        Assert.Equal(new[] { "httpserver" }, Strings(authn, "spec.jwtRules.0.audiences"));
        Assert.Null(authn.Node("spec.jwtRules.0.jwksUri"));
    }

    [KubectlFact]
    public void Local_inline_jwks_is_the_public_half_of_the_test_only_private_key()
    {
        var authn = Manifest.RenderOverlay("local").Single("RequestAuthentication", "istio-system", "httpsserver-jwt");
        using var jwks = JsonDocument.Parse(authn.Scalar("spec.jwtRules.0.jwks") ?? "{}");
        var key = Assert.Single(jwks.RootElement.GetProperty("keys").EnumerateArray());

        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "jwt", "test-only-private-key.pem")));
        var parameters = rsa.ExportParameters(includePrivateParameters: false);

        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.Equal(Base64Url(parameters.Modulus!), key.GetProperty("n").GetString());
        Assert.Equal(Base64Url(parameters.Exponent!), key.GetProperty("e").GetString());
    }

    [KubectlTheory]
    [InlineData("local")]
    [InlineData("dev")]
    public void Overlays_that_keep_the_users_metrics_check_allow_only_get_metrics_from_the_gateway(string overlay)
    {
        var policy = Manifest.RenderOverlay(overlay).Single("AuthorizationPolicy", "httpserver", "httpserver-allow-ingress-gateway-metrics");

        Assert.Equal(new[] { GatewayPrincipal }, Strings(policy, "spec.rules.0.from.0.source.principals"));
        Assert.Equal(new[] { "GET" }, Strings(policy, "spec.rules.0.to.0.operation.methods"));
        Assert.Equal(new[] { "/metrics" }, Strings(policy, "spec.rules.0.to.0.operation.paths"));
    }

    private static string?[] Strings(KubeObject o, string path) =>
        o.Sequence(path).Select(n => ((YamlScalarNode)n).Value).ToArray();

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

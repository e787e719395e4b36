using Ingress.Config.Analysis;
using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;
using Ingress.Config.Model;

namespace Ingress.Config.Tests.Analysis;

/// <summary>
/// The user's own manifests (tests/fixtures/seed, verbatim from the homework), loaded as they were applied: the
/// Deployment and Service with <c>-n httpserver</c>, the rest with <c>-n istio-system</c>.
/// </summary>
public class SeedManifestTests
{
    private static readonly string Seed = Path.Combine(RepoPaths.Fixtures, "seed");

    private static ConfigSet LoadSeed(params string[] extraYaml)
    {
        var resources = new List<Resource>();
        foreach (var (file, ns) in new[]
                 {
                     ("httpserver-deployment-service.yaml", "httpserver"),
                     ("httpserver-virtualservice-gateway.yaml", "istio-system"),
                     ("istio-issuer.yaml", "istio-system"),
                     ("istio-cert.yaml", "istio-system"),
                 })
        {
            var result = ConfigLoader.LoadPaths([Path.Combine(Seed, file)], new LoadOptions { DefaultNamespace = ns });
            Assert.Empty(result.Diagnostics);
            resources.AddRange(result.Config.Resources);
        }

        foreach (var yaml in extraYaml)
        {
            var result = ConfigLoader.LoadText(yaml, "secret.yaml", new LoadOptions { DefaultNamespace = "istio-system" });
            Assert.Empty(result.Diagnostics);
            resources.AddRange(result.Config.Resources);
        }

        return new ConfigSet { Resources = resources };
    }

    [Fact]
    public void Without_their_secret_the_seed_manifests_report_only_the_missing_credential()
    {
        var findings = AnalyzerRegistry.Run(new AnalysisContext { Config = LoadSeed() });

        var finding = Assert.Single(findings);
        Assert.Equal("IST0101", finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("Gateway istio-system/httpsserver", finding.Resource);
        Assert.Equal("spec.servers[0].tls.credentialName", finding.FieldPath);
        Assert.Equal(Path.Combine(Seed, "httpserver-virtualservice-gateway.yaml"), finding.Location.File);
        Assert.Equal(48, finding.Location.Line);
        Assert.Equal(
            "Referenced credentialName not found: \"httpserver-credential\". Create Secret istio-system/httpserver-credential " +
            "(type kubernetes.io/tls, keys tls.crt and tls.key): the gateway reads credentials only from the namespace its " +
            "workload runs in, istio-system. (No Deployment or Pod in the configuration matches the Gateway's selector, so the " +
            "gateway workload is assumed to run in istio-system.) Certificate istio-system/httpserver writes it once the " +
            "certificate is issued, but the configuration does not show the whole issuance (the issuer, and for HTTP-01 a " +
            "port-80 route to the solver); until the Secret exists TLS handshakes on this server fail.",
            finding.Message);
    }

    [Fact]
    public void With_their_secret_the_seed_manifests_analyze_clean()
    {
        var (cert, key) = TestCertificates.Valid();
        var secret = TestCertificates.SecretYaml("httpserver-credential", "istio-system", cert, key);

        Assert.Empty(AnalyzerRegistry.Run(new AnalysisContext { Config = LoadSeed(secret) }));
    }

    [Fact]
    public void With_their_secret_in_the_application_namespace_the_seed_manifests_say_where_it_must_go()
    {
        var (cert, key) = TestCertificates.Valid();
        var secret = TestCertificates.SecretYaml("httpserver-credential", "httpserver", cert, key);

        var finding = Assert.Single(AnalyzerRegistry.Run(new AnalysisContext { Config = LoadSeed(secret) }));
        Assert.Equal("IST0101", finding.Code);
        Assert.EndsWith(
            "A Secret with that name exists in namespace httpserver, which the gateway cannot read: move it to istio-system. " +
            "Certificate istio-system/httpserver writes it once the certificate is issued, but the configuration does not show " +
            "the whole issuance (the issuer, and for HTTP-01 a port-80 route to the solver); until the Secret exists TLS " +
            "handshakes on this server fail.",
            finding.Message,
            StringComparison.Ordinal);
    }
}

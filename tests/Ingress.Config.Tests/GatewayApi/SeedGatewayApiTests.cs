using Ingress.Config.Analysis;
using Ingress.Config.GatewayApi;
using Ingress.Config.Loading;
using Ingress.Config.Model;
using Ingress.Config.Tests.Schema;
using Ingress.Config.Validation;

namespace Ingress.Config.Tests.GatewayApi;

/// <summary>
/// The user's seed routes written with the Gateway API (tests/fixtures/gateway-api/seed-gateway-api.yaml) beside the
/// seed's own Deployment and Service: valid for the CRDs, clean for <c>ingress analyze</c>, and resolved to the two
/// rules of the seed's VirtualService.
/// </summary>
public sealed class SeedGatewayApiTests
{
    private static readonly string File = Path.Combine(RepoPaths.Fixtures, "gateway-api", "seed-gateway-api.yaml");

    private static ConfigSet Load()
    {
        var resources = new List<Resource>();
        foreach (var path in new[] { Path.Combine(RepoPaths.Fixtures, "seed", "httpserver-deployment-service.yaml"), File })
        {
            var result = ConfigLoader.LoadPaths([path], new LoadOptions { DefaultNamespace = "httpserver" });
            Assert.Equal([], result.Diagnostics.Select(d => d.ToString()));
            resources.AddRange(result.Config.Resources);
        }

        return new ConfigSet { Resources = resources };
    }

    [SchemaFact]
    public void The_seed_routes_as_a_Gateway_and_an_HTTPRoute_pass_the_CRDs()
    {
        Assert.Equal([], ManifestCheck.Run(System.IO.File.ReadAllText(File), "seed-gateway-api.yaml", out var count));
        Assert.Equal(2, count);
    }

    [Fact]
    public void The_seed_routes_as_a_Gateway_and_an_HTTPRoute_analyze_clean()
    {
        var config = Load();

        Assert.Equal([], ConfigValidator.Validate(config).Select(d => d.ToString()));
        Assert.Equal([], AnalyzerRegistry.Run(new AnalysisContext { Config = config }).Select(d => d.ToString()));
    }

    [Fact]
    public void The_seed_routes_resolve_to_the_two_rules_of_the_seed_virtual_service()
    {
        var state = GatewayApiResolver.Resolve(Load());

        var listener = Assert.Single(Assert.Single(state.Gateways).Listeners);
        Assert.Equal((443, "HTTPS", "httpsserver.kuopenx.io", true), (listener.Port, listener.Protocol, listener.Hostname, listener.Serves));
        Assert.Equal([("httpserver", "httpserver-credential")], listener.Certificates);
        var host = Assert.Single(listener.VirtualHosts);
        Assert.Equal("httpsserver.kuopenx.io", host.Hostname);
        Assert.Equal(
        [
            (PathMatchKind.Exact, "/test/hello", PathChangeKind.ReplaceFullPath, "/hello", "httpserver.httpserver.svc.cluster.local"),
            (PathMatchKind.Prefix, "/test/metrics", PathChangeKind.ReplacePrefixMatch, "/metrics", "httpserver.httpserver.svc.cluster.local"),
        ], host.Rules.Select(r => (r.Match.PathKind, r.Match.Path, r.Actions.Rewrite!.Path!.Kind, r.Actions.Rewrite.Path.Value,
            Assert.Single(r.Actions.Backends).Host)));
    }
}

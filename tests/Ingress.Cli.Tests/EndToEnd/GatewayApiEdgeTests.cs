using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>
/// `ingress up --api gateway-api`: the same user checks, printed the same way, answered by the edge written as a
/// Gateway API Gateway and HTTPRoutes (deploy/overlays/gateway-api/local), over TLS verified against the local CA.
/// </summary>
[Collection(GatewayApiLocalSystemGroup.Name)]
public sealed class GatewayApiEdgeTests(GatewayApiLocalSystemFixture system)
{
    [CurlFact]
    public async Task The_printed_curl_checks_answer_as_with_the_istio_edge()
    {
        var lines = NextSteps.Render(system.System).Split('\n').Select(l => l.Trim()).ToList();
        var hello = lines.First(l => l.StartsWith("curl --resolve", StringComparison.Ordinal) && l.EndsWith("/test/hello", StringComparison.Ordinal));
        var chain = lines.First(l => l.StartsWith("curl --resolve", StringComparison.Ordinal) && l.Contains("/test/chain", StringComparison.Ordinal));

        Assert.Equal("hello.", await PrintedCommandsTests.CurlAsync(hello));
        Assert.Equal("hello.", await PrintedCommandsTests.CurlAsync(chain[..chain.IndexOf(" #", StringComparison.Ordinal)]));
        Assert.Contains("Manifests:      kubectl kustomize deploy/overlays/gateway-api/local", lines);
    }

    [Fact]
    public async Task Test_metrics_answers_the_services_prometheus_text()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE httpserver_execution_latency_seconds histogram", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public Task The_canary_header_reaches_the_v2_service() => PrintedCommandsTests.AssertCanaryAsync(system);

    [Fact]
    public async Task A_path_with_no_route_is_404_from_the_gateway()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/metricsx"));

        // A Gateway API prefix matches whole segments: /test/metrics does not take /test/metricsx.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https_with_the_hosts_port_kept()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Http("/test/hello?x=1"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        // Istio writes the redirect to https without port as FROM_PROTOCOL_DEFAULT: no port for Envoy, so the Host's own
        // port stays (only :80 would be dropped on leaving http), as with the Istio edge's httpsRedirect.
        Assert.Equal(
            new Uri($"https://httpsserver.kuopenx.io:{system.System.Ports.HttpPort}/test/hello?x=1"),
            response.Headers.Location);
    }

    [Fact]
    public async Task Test_secure_needs_a_token_the_policies_attached_to_the_gateway_check()
    {
        using var key = RSA.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Fixtures, "jwt", "test-only-private-key.pem")));
        using var client = system.CreateClient();
        using var withToken = new HttpRequestMessage(HttpMethod.Get, system.Https("/test/secure"));
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            PolicyTests.Sign(key, "https://local-test-issuer.httpserver.test", "httpserver"));

        using var denied = await client.GetAsync(system.Https("/test/secure"));
        using var allowed = await client.SendAsync(withToken);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("RBAC: access denied", await denied.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Httpserver_lets_in_the_gateways_own_identity_and_no_longer_the_shared_gateways()
    {
        using var own = PolicyTests.MeshClient(system, "spiffe://cluster.local/ns/istio-system/sa/httpsserver-istio");
        using var shared = PolicyTests.MeshClient(system, "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account");

        using var ownResponse = await own.GetAsync(PolicyTests.Sidecar(system, "httpserver-v1", "/metrics"));
        using var sharedResponse = await shared.GetAsync(PolicyTests.Sidecar(system, "httpserver-v1", "/hello"));

        Assert.Equal(HttpStatusCode.OK, ownResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sharedResponse.StatusCode);
    }
}

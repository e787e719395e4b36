using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingress.Cli.Tests.DeployKit;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Security;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>
/// The kit's policies as `ingress up` enforces them: the JWT policy on /test/secure at the gateway, and, at each
/// service's sidecar, PeerAuthentication STRICT and the AuthorizationPolicies on httpserver.
/// </summary>
[Collection(LocalSystemGroup.Name)]
public sealed class PolicyTests(LocalSystemFixture system)
{
    private const string Issuer = "https://local-test-issuer.httpserver.test";
    private const string KeyId = "httpserver-local-test";

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused_with_401()
    {
        using var otherKey = RSA.Create(2048);
        using var client = system.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, system.Https("/test/secure"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Sign(otherKey, Issuer, "httpserver"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt verification fails", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_without_a_token_is_denied_with_403()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/secure"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_from_the_local_test_issuer_is_let_through()
    {
        using var key = RSA.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Fixtures, "jwt", "test-only-private-key.pem")));
        using var client = system.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, system.Https("/test/secure"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Sign(key, Issuer, "httpserver"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_plain_text_call_to_any_services_sidecar_is_refused()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var (name, port) in system.System.Ports.Sidecars)
        {
            var refused = await Record.ExceptionAsync(() => client.GetAsync($"http://127.0.0.1:{port}/hello"));
            Assert.True(refused is HttpRequestException, $"{name}'s sidecar answered a plain-text call");
        }
    }

    [Fact]
    public async Task A_caller_with_another_workload_identity_gets_403_from_httpserver()
    {
        using var client = MeshClient(system, "spiffe://cluster.local/ns/httpserver/sa/intruder");

        using var response = await client.GetAsync(Sidecar(system, "httpserver-v1", "/hello"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_ingress_gateway_identity_is_let_in_by_httpserver()
    {
        using var client = MeshClient(system, "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account");

        using var response = await client.GetAsync(Sidecar(system, "httpserver-v2", "/hello"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
    }

    [Fact]
    public async Task The_monitoring_namespace_may_read_metrics_but_nothing_else()
    {
        using var client = MeshClient(system, "spiffe://cluster.local/ns/monitoring/sa/prometheus");

        using var metrics = await client.GetAsync(Sidecar(system, "httpserver-v1", "/metrics"));
        using var hello = await client.GetAsync(Sidecar(system, "httpserver-v1", "/hello"));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("httpserver_execution_latency_seconds", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, hello.StatusCode);
    }

    [Fact]
    public async Task The_chain_links_call_each_other_through_their_sidecars_under_strict()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/chain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, system.System.Sidecars.Count);
        Assert.All(system.System.Sidecars, s => Assert.Equal(MtlsMode.Strict, s.State!.PeerAuthentication.Mode));
    }

    internal static Uri Sidecar(LocalSystemFixture system, string part, string path) =>
        new($"https://127.0.0.1:{system.System.Ports.Sidecars[part]}{path}");

    // A workload of the same local mesh: a certificate for the identity from the mesh CA `ingress up` created.
    internal static HttpClient MeshClient(LocalSystemFixture system, string spiffeId)
    {
        using var ca = MeshCa.LoadOrCreate(system.System.MeshCaDirectory);
        var identity = new WorkloadCertificate(ca, spiffeId, TimeSpan.FromHours(1));
        var root = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(ca.Root.RawData);
        return new HttpClient(MeshClientTls.CreateHandler(identity, root)) { Timeout = TimeSpan.FromSeconds(30) };
    }

    internal static string Sign(RSA key, string issuer, string audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = "e2e-test",
            ["aud"] = audience,
            ["iat"] = now,
            ["exp"] = now + 300,
        });
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header))}.{Base64Url(Encoding.UTF8.GetBytes(payload))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

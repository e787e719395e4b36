using System.Net;
using System.Security.Authentication;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Snapshot.Upstreams;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Upstreams;

/// <summary>DestinationRule upstream TLS (SIMPLE, MUTUAL, DISABLE) toward real HTTPS backends with certificates made here.</summary>
public sealed class UpstreamTlsTests : IDisposable
{
    private const string ConnectFailureBody = "upstream connect error or disconnect/reset before headers. reset reason: connection failure";

    private readonly TestCa _ca = TestCa.Create();
    private readonly string _dir = Directory.CreateTempSubdirectory("upstream-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Task<GatewayHarness> Start(int backendPort, string tls, string extra = "") =>
        GatewayHarness.StartAsync(LoadBalancingAndPoolTests.GatewayAndRoute + $$"""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                tls: {{tls}}
            {{extra}}
            """, [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{backendPort}"]);

    [Fact]
    public async Task Simple_tls_with_a_ca_file_and_sni_reaches_the_backend_over_tls_1_2()
    {
        var server = _ca.Server("CN=backend.internal", "backend.internal");
        await using var backend = await TlsBackend.StartAsync(server.Certificate);
        var caFile = Write("ca.pem", _ca.CertificatePem);
        await using var gw = await Start(backend.Port, $"{{mode: SIMPLE, caCertificates: {caFile}, sni: backend.internal, subjectAltNames: [backend.internal]}}");

        using var response = await gw.Client(80).GetAsync("http://shop.example.com/items?id=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tls /items?id=1", await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(backend.Requests);
        Assert.Equal(["backend.internal"], backend.ServerNames);
        Assert.Equal(SslProtocols.Tls12, seen.Protocol);
        Assert.Equal("shop.example.com", seen.Host);
        Assert.DoesNotContain(gw.Host.Snapshots.Current.Diagnostics, d => d.FieldPath?.Contains(".tls", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Simple_tls_without_sni_sends_the_request_host_as_sni()
    {
        var server = _ca.Server("CN=shop.example.com", "shop.example.com");
        await using var backend = await TlsBackend.StartAsync(server.Certificate);
        var caFile = Write("ca.pem", _ca.CertificatePem);
        await using var gw = await Start(backend.Port, $"{{mode: SIMPLE, caCertificates: {caFile}}}");

        using var matching = await gw.Client(80).GetAsync("http://shop.example.com/a");
        Assert.Equal(HttpStatusCode.OK, matching.StatusCode);
        Assert.Single(backend.Requests);
        Assert.Equal(["shop.example.com"], backend.ServerNames);
    }

    [Fact]
    public async Task Simple_tls_without_sni_refuses_a_certificate_that_does_not_match_the_request_host()
    {
        var server = _ca.Server("CN=shop.example.com", "shop.example.com");
        await using var backend = await TlsBackend.StartAsync(server.Certificate);
        var caFile = Write("ca.pem", _ca.CertificatePem);
        await using var gw = await Start(backend.Port, $"{{mode: SIMPLE, caCertificates: {caFile}}}");

        using var other = await gw.Client(80).GetAsync("http://other.example.com/b");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, other.StatusCode);
        Assert.Equal(ConnectFailureBody, await other.Content.ReadAsStringAsync());
        Assert.Contains(" 503 UF upstream_reset_before_response_started{connection_failure} ", await gw.AccessLog.WaitForLineAsync("\"GET /b "));
        Assert.Equal(["other.example.com"], backend.ServerNames);
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public async Task Server_certificate_from_another_ca_answers_503_UF()
    {
        var stranger = TestCa.Create("CN=stranger-ca").Server("CN=backend.internal", "backend.internal");
        await using var backend = await TlsBackend.StartAsync(stranger.Certificate);
        var caFile = Write("ca.pem", _ca.CertificatePem);
        await using var gw = await Start(backend.Port, $"{{mode: SIMPLE, caCertificates: {caFile}, sni: backend.internal}}");

        using var response = await gw.Client(80).GetAsync("http://x/untrusted");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ConnectFailureBody, await response.Content.ReadAsStringAsync());
        Assert.Contains(" 503 UF ", await gw.AccessLog.WaitForLineAsync("/untrusted"));
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public async Task Subject_alt_names_that_the_certificate_lacks_answer_503_UF()
    {
        var server = _ca.Server("CN=backend.internal", "backend.internal");
        await using var backend = await TlsBackend.StartAsync(server.Certificate);
        var caFile = Write("ca.pem", _ca.CertificatePem);
        await using var gw = await Start(backend.Port,
            $"{{mode: SIMPLE, caCertificates: {caFile}, sni: backend.internal, subjectAltNames: [payments.internal]}}");

        using var response = await gw.Client(80).GetAsync("http://x/san");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ConnectFailureBody, await response.Content.ReadAsStringAsync());
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public async Task Insecure_skip_verify_accepts_an_untrusted_certificate()
    {
        var stranger = TestCa.Create("CN=stranger-ca").Server("CN=whatever");
        await using var backend = await TlsBackend.StartAsync(stranger.Certificate);
        await using var gw = await Start(backend.Port, "{mode: SIMPLE, insecureSkipVerify: true}");

        using var response = await gw.Client(80).GetAsync("http://x/skip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tls /skip", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mutual_tls_from_a_credential_secret_presents_the_client_certificate()
    {
        var server = _ca.Server("CN=backend.internal", "backend.internal");
        var client = _ca.Client("CN=ingress-gateway-client");
        await using var backend = await TlsBackend.StartAsync(server.Certificate, requireClientCertificate: true);
        var secret = TestCertificates.OpaqueSecretYaml("upstream-client", "istio-system", new Dictionary<string, string>
        {
            ["tls.crt"] = client.CertificatePem,
            ["tls.key"] = client.KeyPem,
            ["ca.crt"] = _ca.CertificatePem,
        });
        await using var gw = await Start(backend.Port, "{mode: MUTUAL, credentialName: upstream-client, sni: backend.internal}", "---\n" + secret);

        using var response = await gw.Client(80).GetAsync("http://x/mtls");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tls /mtls", await response.Content.ReadAsStringAsync());
        Assert.Equal("CN=ingress-gateway-client", Assert.Single(backend.Requests).ClientSubject);
    }

    [Fact]
    public async Task Mutual_tls_from_files_presents_the_client_certificate()
    {
        var server = _ca.Server("CN=backend.internal", "backend.internal");
        var client = _ca.Client("CN=file-client");
        await using var backend = await TlsBackend.StartAsync(server.Certificate, requireClientCertificate: true);
        var tls = $"{{mode: MUTUAL, caCertificates: {Write("ca.pem", _ca.CertificatePem)}, clientCertificate: {Write("client.pem", client.CertificatePem)}, " +
            $"privateKey: {Write("client.key", client.KeyPem)}, sni: backend.internal}}";
        await using var gw = await Start(backend.Port, tls);

        using var response = await gw.Client(80).GetAsync("http://x/files");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=file-client", Assert.Single(backend.Requests).ClientSubject);
    }

    [Fact]
    public async Task Missing_credential_secret_is_reported_and_its_connections_fail_with_503_UF()
    {
        var server = _ca.Server("CN=backend.internal", "backend.internal");
        await using var backend = await TlsBackend.StartAsync(server.Certificate, requireClientCertificate: true);
        await using var gw = await Start(backend.Port, "{mode: MUTUAL, credentialName: nowhere}");

        using var response = await gw.Client(80).GetAsync("http://x/missing");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ConnectFailureBody, await response.Content.ReadAsStringAsync());
        var finding = Assert.Single(gw.Host.Snapshots.Current.Diagnostics, d => d.Code == GatewayCodes.UpstreamTlsCredential);
        Assert.Equal("spec.trafficPolicy.tls: Secret istio-system/nowhere referenced by credentialName not found in the gateway's namespace; " +
            "connections to this destination fail with 503 UF until it is fixed", finding.Message);
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public async Task Disable_sends_plain_http()
    {
        await using var backend = await RecordingBackend.StartAsync("plain");
        await using var gw = await Start(backend.Port, "{mode: DISABLE}");

        using var response = await gw.Client(80).GetAsync("http://x/plain");

        Assert.Equal("plain /plain", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Port_level_tls_replaces_the_top_level_policy_for_that_port()
    {
        await using var backend = await RecordingBackend.StartAsync("plain");
        await using var gw = await Start(backend.Port, "{mode: SIMPLE, insecureSkipVerify: true}",
            "    portLevelSettings:\n    - port: {number: 80}\n      loadBalancer: {simple: ROUND_ROBIN}");

        using var response = await gw.Client(80).GetAsync("http://x/port");

        Assert.Equal("plain /port", await response.Content.ReadAsStringAsync());
        var policy = gw.Host.Snapshots.Current.Clusters[LoadBalancingAndPoolTests.ClusterName].Policy;
        Assert.Null(policy.Tls);
        Assert.Equal(LoadBalancerKind.RoundRobin, policy.LoadBalancer);
    }
}

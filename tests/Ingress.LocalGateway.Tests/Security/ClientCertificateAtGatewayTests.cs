using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Security;

/// <summary>
/// Client certificates at the gateway (Gateway tls.mode MUTUAL and OPTIONAL_MUTUAL) over real TLS: accepted, refused,
/// used as the source principal, and forwarded in x-forwarded-client-cert as Envoy's SANITIZE_SET does.
/// </summary>
public sealed class ClientCertificateAtGatewayTests : IAsyncLifetime
{
    private readonly PemPair _server = TestCertificates.SelfSigned("CN=app.example.com", dnsNames: ["app.example.com"]);
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await RecordingBackend.StartAsync("httpserver");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<GatewayHarness> StartAsync(string mode, PemPair ca, string policies = "") =>
        GatewayHarness.StartAsync(
            SecurityYaml.Gateway($"      mode: {mode}\n      credentialName: app-cert\n")
            + "---\n" + TestCertificates.KubectlTlsSecretYaml("app-cert", "istio-system", _server)
            + "---\n" + TestCertificates.OpaqueSecretYaml("app-cert-cacert", "istio-system", new Dictionary<string, string> { ["cacert"] = ca.CertificatePem })
            + policies,
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"], defaultNamespace: "istio-system");

    private static async Task<HttpResponseMessage> GetAsync(GatewayHarness gateway, X509Certificate2? certificate, string? forgedXfcc = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://app.example.com/hello");
        if (forgedXfcc is not null)
        {
            request.Headers.Add("x-forwarded-client-cert", forgedXfcc);
        }

        return await gateway.Client(443, clientCertificate: certificate).SendAsync(request);
    }

    private static string UrlEncodedPem(X509Certificate2 certificate) =>
        (certificate.ExportCertificatePem() + "\n").Replace("\n", "%0A", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal)
        .Replace("+", "%2B", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal);

    private static string Hash(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    [Fact]
    public async Task Mutual_accepts_a_certificate_of_the_ca_and_sets_the_forwarded_client_cert_header()
    {
        var (ca, client) = TestCertificates.CaAndClient("CN=client.kuopenx.io, O=kuopenx Inc.");
        await using var gateway = await StartAsync("MUTUAL", ca);

        using var response = await GetAsync(gateway, client.Certificate, forgedXfcc: "Hash=forged;URI=spiffe://cluster.local/ns/x/sa/admin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            $"Hash={Hash(client.Certificate)};Cert=\"{UrlEncodedPem(client.Certificate)}\";Subject=\"CN=client.kuopenx.io,O=kuopenx Inc.\";URI=",
            _backend.Last.Header("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task Mutual_refuses_a_certificate_from_another_ca_and_one_without_a_certificate()
    {
        var (ca, _) = TestCertificates.CaAndClient();
        var (_, stranger) = TestCertificates.CaAndClient("CN=stranger");
        await using var gateway = await StartAsync("MUTUAL", ca);

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(gateway, stranger.Certificate));
        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(gateway, null));
        Assert.Empty(_backend.Requests);
    }

    [Fact]
    public async Task Optional_mutual_serves_a_client_without_a_certificate_and_removes_a_forged_header()
    {
        var (ca, _) = TestCertificates.CaAndClient();
        await using var gateway = await StartAsync("OPTIONAL_MUTUAL", ca);

        using var response = await GetAsync(gateway, null, forgedXfcc: "Hash=forged;URI=spiffe://cluster.local/ns/x/sa/admin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(_backend.Last.Header("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task Optional_mutual_forwards_a_presented_certificate_and_refuses_an_untrusted_one()
    {
        var (ca, client) = TestCertificates.CaAndClient("CN=partner");
        var (_, stranger) = TestCertificates.CaAndClient("CN=stranger");
        await using var gateway = await StartAsync("OPTIONAL_MUTUAL", ca);

        using var response = await GetAsync(gateway, client.Certificate);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"Hash={Hash(client.Certificate)};Cert=\"", _backend.Last.Header("x-forwarded-client-cert"));
        Assert.EndsWith(";Subject=\"CN=partner\";URI=", _backend.Last.Header("x-forwarded-client-cert"));
        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(gateway, stranger.Certificate));
    }

    [Fact]
    public async Task A_spiffe_client_certificate_is_the_source_principal_of_an_allow_policy()
    {
        var (ca, partner) = CaAndSpiffeClients("spiffe://cluster.local/ns/partners/sa/acme", out var other);
        var policy = SecurityYaml.Policy("ALLOW", "- from:\n  - source:\n      principals: [cluster.local/ns/partners/sa/acme]");
        await using var gateway = await StartAsync("MUTUAL", ca, policy);

        using var allowed = await GetAsync(gateway, partner);
        using var refused = await GetAsync(gateway, other);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.EndsWith(";Subject=\"\";URI=spiffe://cluster.local/ns/partners/sa/acme", _backend.Last.Header("x-forwarded-client-cert"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("RBAC: access denied", await refused.Content.ReadAsStringAsync());
        Assert.Single(_backend.Requests);
    }

    // A CA and two client certificates with SPIFFE URI SANs (empty subjects, as Istio's workload certificates).
    private static (PemPair Ca, X509Certificate2 First) CaAndSpiffeClients(string firstId, out X509Certificate2 second)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=partner-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caCertificate = caRequest.CreateSelfSigned(now, now.AddDays(1));
        X509Certificate2 Issue(string uri, byte serial)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri(uri));
            request.CertificateExtensions.Add(san.Build(critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
            using var signed = request.Create(caCertificate, now, now.AddHours(12), [serial, 1]);
            using var withKey = signed.CopyWithPrivateKey(key);
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }

        second = Issue("spiffe://cluster.local/ns/partners/sa/other", 2);
        var pem = caCertificate.ExportCertificatePem() + "\n";
        return (new PemPair(pem, caKey.ExportPkcs8PrivateKeyPem(), X509CertificateLoader.LoadCertificate(caCertificate.RawData)), Issue(firstId, 1));
    }
}

using System.Net;
using System.Security.Authentication;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>HTTPS servers: SNI selection, per-server route tables and credentials, MUTUAL, protocol versions, ALPN.</summary>
public sealed class TlsTests
{
    private static string Secret(string name, PemPair pair) => TestCertificates.KubectlTlsSecretYaml(name, "istio-system", pair) + "---\n";

    private const string TwoServers = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https-a, protocol: HTTPS}
            hosts: [a.example.com]
            tls: {mode: SIMPLE, credentialName: cert-a}
          - port: {number: 443, name: https-b, protocol: HTTPS}
            hosts: ["*.example.com"]
            tls: {mode: SIMPLE, credentialName: cert-b}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a, namespace: istio-system}
        spec:
          hosts: [a.example.com]
          gateways: [gw]
          http: [{directResponse: {status: 200, body: {string: a}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: b, namespace: istio-system}
        spec:
          hosts: [b.example.com]
          gateways: [gw]
          http: [{directResponse: {status: 200, body: {string: b}}}]
        ---

        """;

    [Fact]
    public async Task Each_https_server_is_chosen_by_sni_exact_before_wildcard_and_has_its_own_route_table()
    {
        var certA = TestCertificates.SelfSigned("CN=a.example.com");
        var certB = TestCertificates.SelfSigned("CN=*.example.com");
        await using var gw = await GatewayHarness.StartAsync(TwoServers + Secret("cert-a", certA) + Secret("cert-b", certB));

        Assert.Equal(certA.Certificate.GetCertHashString(), await PresentedCertificateHash(gw, "a.example.com"));
        Assert.Equal(certB.Certificate.GetCertHashString(), await PresentedCertificateHash(gw, "b.example.com"));
        Assert.Equal("a", await gw.Client(443).GetStringAsync("https://a.example.com/"));
        Assert.Equal("b", await gw.Client(443).GetStringAsync("https://b.example.com/"));
        // SNI picks server A, whose route table has no b.example.com.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(gw.Address(443));
        using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, c, _, _) => c is not null);
        await ssl.AuthenticateAsClientAsync("a.example.com");
        await ssl.WriteAsync("GET / HTTP/1.1\r\nHost: b.example.com\r\nConnection: close\r\n\r\n"u8.ToArray());
        var reply = await new StreamReader(ssl).ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 404 Not Found", reply, StringComparison.Ordinal);
    }

    private static async Task<string> PresentedCertificateHash(GatewayHarness gw, string sni)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(gw.Address(443));
        using var ssl = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, c, _, _) => c is not null);
        await ssl.AuthenticateAsClientAsync(sni);
        return ssl.RemoteCertificate!.GetCertHashString();
    }

    [Fact]
    public async Task A_missing_secret_fails_only_its_servers_handshakes_and_is_reported_with_its_name()
    {
        var certA = TestCertificates.SelfSigned("CN=a.example.com");
        await using var gw = await GatewayHarness.StartAsync(TwoServers + Secret("cert-a", certA));

        Assert.Equal("a", await gw.Client(443).GetStringAsync("https://a.example.com/"));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => gw.Client(443).GetAsync("https://b.example.com/"));
        Assert.True(error.InnerException is IOException or AuthenticationException, error.ToString());
        var finding = Assert.Single(gw.Host.Snapshots.Current.Diagnostics, d => d.Code == "IST0101");
        Assert.Contains("Secret istio-system/cert-b referenced by credentialName not found", finding.Message);
    }

    [Fact]
    public async Task A_host_declared_again_with_tls_on_the_port_drops_the_later_server_with_the_analyzers_ing2007()
    {
        var older = TestCertificates.SelfSigned("CN=older");
        var newer = TestCertificates.SelfSigned("CN=newer");
        var yaml = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: first, namespace: istio-system, creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com]
                tls: {mode: SIMPLE, credentialName: cert-a}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: second, namespace: istio-system, creationTimestamp: "2026-02-01T00:00:00Z"}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com, b.example.com]
                tls: {mode: SIMPLE, credentialName: cert-b}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: ab, namespace: istio-system}
            spec:
              hosts: [a.example.com, b.example.com]
              gateways: [first, second]
              http: [{directResponse: {status: 200, body: {string: served}}}]
            ---

            """ + Secret("cert-a", older) + Secret("cert-b", newer);
        await using var gw = await GatewayHarness.StartAsync(yaml);

        // Istio's mergeGateways keeps the older Gateway's server and drops the newer one whole, b.example.com included.
        Assert.Equal(older.Certificate.GetCertHashString(), await PresentedCertificateHash(gw, "a.example.com"));
        Assert.Equal("served", await gw.Client(443).GetStringAsync("https://a.example.com/"));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => gw.Client(443).GetAsync("https://b.example.com/"));
        Assert.True(error.InnerException is IOException or AuthenticationException, error.ToString());
        var finding = Assert.Single(gw.Host.Snapshots.Current.Diagnostics, d => d.Code == "ING2007");
        Assert.Equal(Ingress.Config.Diagnostics.Severity.Warning, finding.Severity);
        Assert.Equal("Gateway istio-system/second", finding.Resource);
        Assert.Equal("spec.servers[0].hosts", finding.FieldPath);
        Assert.StartsWith("Host a.example.com is already declared with TLS settings on port 443 by Gateway istio-system/first spec.servers[0]",
            finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cert_and_key_are_preferred_over_tls_crt_and_tls_key()
    {
        var preferred = TestCertificates.SelfSigned("CN=preferred");
        var other = TestCertificates.SelfSigned("CN=other");
        var secret = TestCertificates.OpaqueSecretYaml("cert-a", "istio-system", new Dictionary<string, string>
        {
            ["cert"] = preferred.CertificatePem,
            ["key"] = preferred.KeyPem,
            ["tls.crt"] = other.CertificatePem,
            ["tls.key"] = other.KeyPem,
        });
        await using var gw = await GatewayHarness.StartAsync(TwoServers + secret + "---\n" + Secret("cert-b", other));

        Assert.Equal(preferred.Certificate.GetCertHashString(), await PresentedCertificateHash(gw, "a.example.com"));
    }

    [Theory]
    [InlineData("cert-a")]
    [InlineData("kubernetes://cert-a")]
    [InlineData("istio-system/cert-a")]
    [InlineData("kubernetes://istio-system/cert-a")]
    public async Task Mutual_tls_requires_a_client_certificate_signed_by_the_cacert(string credentialName)
    {
        var server = TestCertificates.SelfSigned("CN=a.example.com");
        var (ca, client) = TestCertificates.CaAndClient();
        var yaml = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: istio-system}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com]
                tls: {mode: MUTUAL, credentialName: "CREDENTIAL"}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a, namespace: istio-system}
            spec:
              hosts: [a.example.com]
              gateways: [gw]
              http: [{directResponse: {status: 200, body: {string: a}}}]
            ---

            """ + Secret("cert-a", server) + TestCertificates.OpaqueSecretYaml("cert-a-cacert", "istio-system",
            new Dictionary<string, string> { ["cacert"] = ca.CertificatePem });
        // Every form Istio's ParseResourceName reads names Secret istio-system/cert-a, its CA in cert-a-cacert.
        await using var gw = await GatewayHarness.StartAsync(yaml.Replace("CREDENTIAL", credentialName, StringComparison.Ordinal));

        Assert.Equal("a", await gw.Client(443, clientCertificate: client.Certificate).GetStringAsync("https://a.example.com/"));
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            using var response = await gw.Client(443).GetAsync("https://a.example.com/");
        });
    }

    [Fact]
    public async Task MinProtocolVersion_tls13_refuses_a_tls12_client()
    {
        var cert = TestCertificates.SelfSigned("CN=a.example.com");
        var yaml = TwoServers.Replace("tls: {mode: SIMPLE, credentialName: cert-a}",
            "tls: {mode: SIMPLE, credentialName: cert-a, minProtocolVersion: TLSV1_3}", StringComparison.Ordinal);
        await using var gw = await GatewayHarness.StartAsync(yaml + Secret("cert-a", cert) + Secret("cert-b", cert));
        var tls12 = gw.Client(443);
        var handler = typeof(HttpMessageInvoker).GetField("_handler", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(tls12) as SocketsHttpHandler;
        handler!.SslOptions.EnabledSslProtocols = SslProtocols.Tls12;

        await Assert.ThrowsAsync<HttpRequestException>(() => tls12.GetAsync("https://a.example.com/"));
        Assert.Equal("a", await gw.Client(443).GetStringAsync("https://a.example.com/"));
    }

    [Fact]
    public async Task Alpn_offers_h2_so_http2_clients_are_served()
    {
        var cert = TestCertificates.SelfSigned("CN=a.example.com");
        await using var gw = await GatewayHarness.StartAsync(TwoServers + Secret("cert-a", cert) + Secret("cert-b", cert));

        using var response = await gw.Client(443, version: HttpVersion.Version20).GetAsync("https://a.example.com/");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("a", await response.Content.ReadAsStringAsync());
        Assert.Contains("\"GET / HTTP/2\" 200", await gw.AccessLog.WaitForLineAsync("HTTP/2"));
    }
}

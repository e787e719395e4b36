using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// The TLS 1.2 cipher suites an HTTPS server accepts, checked with a real TLS client that offers one suite only:
/// Istio's default list (ECDHE with AES-GCM or ChaCha20-Poly1305) when the server sets no <c>cipherSuites</c>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsCipherTests
{
    private static string Config(string tlsExtra) => """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [a.example.com]
            tls: {mode: SIMPLE, credentialName: certTLSEXTRA}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: a, namespace: istio-system}
        spec:
          hosts: [a.example.com]
          gateways: [gw]
          http: [{directResponse: {status: 200, body: {string: a}}}]
        ---

        """.Replace("TLSEXTRA", tlsExtra, StringComparison.Ordinal) + TestCertificates.KubectlTlsSecretYaml("cert", "istio-system", TestCertificates.SelfSigned("CN=a.example.com"));

    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)]
    public async Task Without_cipherSuites_tls12_accepts_istios_default_aead_suites(TlsCipherSuite suite)
    {
        await using var gw = await GatewayHarness.StartAsync(Config(""));

        var negotiated = await Handshake(gw, SslProtocols.Tls12, suite);

        Assert.Equal(suite, negotiated);
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA)]
    [InlineData(TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)]
    public async Task Without_cipherSuites_tls12_refuses_cbc_and_static_rsa_suites(TlsCipherSuite suite)
    {
        await using var gw = await GatewayHarness.StartAsync(Config(""));

        await Assert.ThrowsAnyAsync<AuthenticationException>(() => Handshake(gw, SslProtocols.Tls12, suite));
        // The listener is unharmed: a client offering a default suite still gets in.
        Assert.Equal(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            await Handshake(gw, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
    }

    [Fact]
    public async Task Tls13_is_unaffected_by_the_tls12_list()
    {
        await using var gw = await GatewayHarness.StartAsync(Config(""));

        Assert.Equal(TlsCipherSuite.TLS_AES_256_GCM_SHA384, await Handshake(gw, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384));
        Assert.Equal(TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, await Handshake(gw, SslProtocols.Tls13, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256));
    }

    [Fact]
    public async Task Explicit_cipherSuites_replace_the_default_list()
    {
        await using var gw = await GatewayHarness.StartAsync(Config(", cipherSuites: [ECDHE-RSA-AES128-SHA]"));

        Assert.Equal(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            await Handshake(gw, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA));
        await Assert.ThrowsAnyAsync<AuthenticationException>(() =>
            Handshake(gw, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
    }

    private static async Task<TlsCipherSuite> Handshake(GatewayHarness gw, SslProtocols protocol, TlsCipherSuite offered)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gw.Address(443));
        await using var ssl = new SslStream(tcp.GetStream(), false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "a.example.com",
            EnabledSslProtocols = protocol,
            CipherSuitesPolicy = new CipherSuitesPolicy([offered]),
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
        });
        return ssl.NegotiatedCipherSuite;
    }
}

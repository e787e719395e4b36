using System.Net;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// The host and port of a redirect's Location for every combination Istio and Envoy tell apart: a port in the Host
/// header or not, on a default (80, 443) or another (85) Gateway port, the scheme kept or changed, the authority
/// replaced or not, an explicit <c>port</c>, <c>derivePort</c> FROM_REQUEST_PORT or FROM_PROTOCOL_DEFAULT, no port
/// rule. Expected values follow Istio's <c>ApplyRedirect</c> (route.go) and Envoy's <c>newUri</c>/<c>processRequestHost</c>
/// (source/common/http/utility.cc), as docs/gateway.md "Redirects" states them.
/// </summary>
public sealed class RedirectPortTests(RedirectPortTests.Gateway fixture) : IClassFixture<RedirectPortTests.Gateway>
{
    /// <summary>One gateway serving every redirect rule on ports 80, 85 (HTTP) and 443 (HTTPS).</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        public GatewayHarness Harness { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Harness = await GatewayHarness.StartAsync(Config, defaultNamespace: "istio-system");

        public async Task DisposeAsync() => await Harness.DisposeAsync();
    }

    private static readonly PemPair Certificate = TestCertificates.SelfSigned("CN=*.example.com");

    private static readonly string Config = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
          - port: {number: 85, name: http-85, protocol: HTTP}
            hosts: ["*"]
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: ["*"]
            tls: {mode: SIMPLE, credentialName: cert}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: istio-system}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - {match: [{uri: {prefix: /request-port}}], redirect: {derivePort: FROM_REQUEST_PORT}}
          - {match: [{uri: {prefix: /https-request-port}}], redirect: {scheme: https, derivePort: FROM_REQUEST_PORT}}
          - {match: [{uri: {prefix: /protocol-default}}], redirect: {derivePort: FROM_PROTOCOL_DEFAULT}}
          - {match: [{uri: {prefix: /https-protocol-default}}], redirect: {scheme: https, derivePort: FROM_PROTOCOL_DEFAULT}}
          - {match: [{uri: {prefix: /port-85}}], redirect: {port: 85}}
          - {match: [{uri: {prefix: /port-80}}], redirect: {port: 80}}
          - {match: [{uri: {prefix: /https-port-443}}], redirect: {scheme: https, port: 443}}
          - {match: [{uri: {prefix: /https-only}}], redirect: {scheme: https}}
          - {match: [{uri: {prefix: /http-only}}], redirect: {scheme: http}}
          - {match: [{uri: {prefix: /authority-request-port}}], redirect: {authority: other.example.com, derivePort: FROM_REQUEST_PORT}}
          - {match: [{uri: {prefix: /authority-only}}], redirect: {authority: other.example.com}}
        ---

        """ + TestCertificates.KubectlTlsSecretYaml("cert", "istio-system", Certificate);

    public static TheoryData<int, string, string, string> Cases => new()
    {
        // FROM_REQUEST_PORT: the Gateway port, left out when it is the scheme's default, so the Host's own port stays.
        { 80, "b.example.com:80", "/request-port/foo", "http://b.example.com:80/request-port/foo" },
        { 80, "b.example.com", "/request-port/foo", "http://b.example.com/request-port/foo" },
        { 80, "b.example.com:8080", "/request-port/foo", "http://b.example.com:8080/request-port/foo" },
        { 85, "b.example.com:85", "/request-port/foo", "http://b.example.com:85/request-port/foo" },
        { 85, "b.example.com", "/request-port/foo", "http://b.example.com:85/request-port/foo" },
        { 85, "b.example.com:9", "/request-port/foo", "http://b.example.com:85/request-port/foo" },
        { 85, "[::1]", "/request-port/foo", "http://[::1]:85/request-port/foo" },
        { 443, "b.example.com:443", "/request-port/foo", "https://b.example.com:443/request-port/foo" },
        { 443, "b.example.com", "/request-port/foo", "https://b.example.com/request-port/foo" },
        { 80, "b.example.com:80", "/https-request-port/foo", "https://b.example.com:80/https-request-port/foo" },
        { 80, "b.example.com", "/https-request-port/foo", "https://b.example.com:80/https-request-port/foo" },

        // FROM_PROTOCOL_DEFAULT writes no port: the Host's stays, unless the scheme changes and it is the old default.
        { 80, "b.example.com", "/protocol-default/foo", "http://b.example.com/protocol-default/foo" },
        { 80, "b.example.com:80", "/protocol-default/foo", "http://b.example.com:80/protocol-default/foo" },
        { 80, "b.example.com:8080", "/protocol-default/foo", "http://b.example.com:8080/protocol-default/foo" },
        { 80, "b.example.com:80", "/https-protocol-default/foo", "https://b.example.com/https-protocol-default/foo" },
        { 80, "[::1]:80", "/https-protocol-default/foo", "https://[::1]/https-protocol-default/foo" },
        { 80, "b.example.com:8080", "/https-protocol-default/foo", "https://b.example.com:8080/https-protocol-default/foo" },

        // An explicit port replaces the Host's, unless it is the scheme's default: then it is as if none were given.
        { 80, "b.example.com:9", "/port-85/foo", "http://b.example.com:85/port-85/foo" },
        { 80, "b.example.com", "/port-85/foo", "http://b.example.com:85/port-85/foo" },
        { 80, "b.example.com:9", "/port-80/foo", "http://b.example.com:9/port-80/foo" },
        { 80, "b.example.com", "/port-80/foo", "http://b.example.com/port-80/foo" },
        { 80, "b.example.com:80", "/https-port-443/foo", "https://b.example.com/https-port-443/foo" },
        { 80, "b.example.com:8443", "/https-port-443/foo", "https://b.example.com:8443/https-port-443/foo" },

        // No port rule: only a scheme change drops the old scheme's default port.
        { 80, "b.example.com:80", "/https-only/foo", "https://b.example.com/https-only/foo" },
        { 80, "b.example.com:8080", "/https-only/foo", "https://b.example.com:8080/https-only/foo" },
        { 443, "b.example.com:443", "/http-only/foo", "http://b.example.com/http-only/foo" },
        { 443, "b.example.com:80", "/http-only/foo", "http://b.example.com:80/http-only/foo" },

        // A replaced authority is written as given; the Host's port plays no part.
        { 80, "b.example.com:8080", "/authority-only/foo", "http://other.example.com/authority-only/foo" },
        { 80, "b.example.com:80", "/authority-request-port/foo", "http://other.example.com/authority-request-port/foo" },
        { 85, "b.example.com", "/authority-request-port/foo", "http://other.example.com:85/authority-request-port/foo" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_location_keeps_or_replaces_the_host_port_as_istio_and_envoy_do(int gatewayPort, string host, string path,
        string location)
    {
        var scheme = gatewayPort == 443 ? "https" : "http";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{scheme}://b.example.com{path}");
        request.Headers.Host = host;

        using var response = await fixture.Harness.Client(gatewayPort).SendAsync(request);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }
}

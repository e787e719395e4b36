using System.Net;
using System.Security.Authentication;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Seed;

/// <summary>
/// The user's own manifests (tests/fixtures/seed, applied with -n istio-system), a certificate made like their openssl
/// command, the Secret as kubectl prints it, and the httpserver behind it: what their curl checks showed.
/// </summary>
public sealed class SeedHomeworkTests : IAsyncLifetime
{
    private const string Metrics = "# HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.\n" +
                                   "# TYPE go_gc_duration_seconds summary\ngo_gc_duration_seconds{quantile=\"0\"} 0\n";

    private RecordingBackend _backend = null!;
    private GatewayHarness _gateway = null!;
    private PemPair _certificate = null!;

    public async Task InitializeAsync()
    {
        _backend = await RecordingBackend.StartAsync("httpserver");
        _backend.On("/hello", 200, "hello.");
        _backend.On("/metrics", 200, Metrics);
        _certificate = TestCertificates.SelfSigned();
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Seed, "httpserver-virtualservice-gateway.yaml")) + "\n---\n" +
                   TestCertificates.KubectlTlsSecretYaml("httpserver-credential", "istio-system", _certificate);
        _gateway = await GatewayHarness.StartAsync(yaml,
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"], defaultNamespace: "istio-system");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task Test_hello_over_https_with_sni_gives_the_services_hello()
    {
        var client = _gateway.Client(443, trust: _certificate.Certificate);

        var response = await client.GetAsync("https://httpsserver.kuopenx.io/test/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
        Assert.True(response.Headers.Contains("x-envoy-upstream-service-time"));
        var seen = _backend.Last;
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/hello", seen.PathAndQuery);
        Assert.Equal("httpsserver.kuopenx.io", seen.Host);
        Assert.Equal("/test/hello", seen.Header("x-envoy-original-path"));
        Assert.Equal("https", seen.Header("x-forwarded-proto"));
        var line = await _gateway.AccessLog.WaitForLineAsync("/test/hello");
        Assert.Contains("\"GET /test/hello HTTP/1.1\" 200 - via_upstream - \"-\" 0 6 ", line);
        Assert.Contains($"\"httpsserver.kuopenx.io\" \"127.0.0.1:{_backend.Port}\" outbound|80||httpserver.httpserver.svc.cluster.local - ", line);
        Assert.EndsWith(" httpsserver.kuopenx.io -", line);
    }

    [Fact]
    public async Task Test_metrics_over_https_gives_the_services_prometheus_text()
    {
        var client = _gateway.Client(443, trust: _certificate.Certificate);

        var response = await client.GetAsync("https://httpsserver.kuopenx.io/test/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Metrics, await response.Content.ReadAsStringAsync());
        Assert.Equal("/metrics", _backend.Last.PathAndQuery);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/hello")]
    [InlineData("/test/hello/")]
    [InlineData("/test")]
    public async Task Any_other_path_gets_404_with_an_empty_body(string path)
    {
        var client = _gateway.Client(443, trust: _certificate.Certificate);

        var response = await client.GetAsync("https://httpsserver.kuopenx.io" + path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(_backend.Requests);
        var line = await _gateway.AccessLog.WaitForLineAsync($"\"GET {path} HTTP/1.1\"");
        Assert.Contains(" 404 NR route_not_found ", line);
    }

    [Fact]
    public async Task A_host_the_gateway_does_not_serve_fails_the_tls_handshake()
    {
        var client = _gateway.Client(443, sni: "other.kuopenx.io");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://other.kuopenx.io/test/hello"));

        // Envoy has no filter chain for the name and closes the connection during the handshake.
        Assert.True(error.InnerException is IOException or AuthenticationException, error.ToString());
        Assert.Empty(_backend.Requests);
    }

    [Fact]
    public async Task Gateway_port_443_listens_on_8443_by_default()
    {
        var options = new GatewayOptions();

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8443), options.ListenAddressFor(443));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), options.ListenAddressFor(80));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 15443), options.ListenAddressFor(15443));
        await Task.CompletedTask;
    }
}

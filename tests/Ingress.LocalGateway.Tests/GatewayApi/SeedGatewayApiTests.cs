using System.Net;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.GatewayApi;

/// <summary>
/// The user's seed routes written as a Gateway of class istio and an HTTPRoute (tests/fixtures/gateway-api), served by
/// the same gateway as the VirtualService form, with the certificate checked against the one in the Secret: the
/// user's curl checks give the same answers.
/// </summary>
public sealed class SeedGatewayApiTests : IAsyncLifetime
{
    private RecordingBackend _backend = null!;
    private GatewayHarness _gateway = null!;
    private PemPair _certificate = null!;

    public async Task InitializeAsync()
    {
        _backend = await RecordingBackend.StartAsync("httpserver");
        _backend.On("/hello", 200, "hello.");
        _backend.On("/metrics", 200, "# metrics\n");
        _certificate = TestCertificates.SelfSigned();
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.GatewayApi, "seed-gateway-api.yaml")) + "\n---\n" +
                   TestCertificates.KubectlTlsSecretYaml("httpserver-credential", "httpserver", _certificate) + """

                   ---
                   apiVersion: v1
                   kind: Service
                   metadata: {name: httpserver, namespace: httpserver}
                   spec: {ports: [{name: http, port: 80}]}
                   """;
        _gateway = await GatewayHarness.StartAsync(yaml,
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"], defaultNamespace: "httpserver");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task Test_hello_over_verified_tls_gives_the_services_hello()
    {
        var client = _gateway.Client(443, trust: _certificate.Certificate);

        var response = await client.GetAsync("https://httpsserver.kuopenx.io/test/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        Assert.Equal("/hello", _backend.Last.PathAndQuery);
        Assert.Equal("/test/hello", _backend.Last.Header("x-envoy-original-path"));
        var line = await _gateway.AccessLog.WaitForLineAsync("/test/hello");
        Assert.Contains("outbound|80||httpserver.httpserver.svc.cluster.local", line);
    }

    [Theory]
    [InlineData("/test/metrics", "/metrics")]
    [InlineData("/test/metrics/", "/metrics/")]
    [InlineData("/test/metrics/go", "/metrics/go")]
    public async Task Test_metrics_is_a_path_prefix_by_segment_rewritten_to_metrics(string path, string received)
    {
        var client = _gateway.Client(443, trust: _certificate.Certificate);
        _backend.On(received, 200, "# metrics\n");

        var response = await client.GetAsync("https://httpsserver.kuopenx.io" + path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(received, _backend.Last.PathAndQuery);
    }

    [Theory]
    [InlineData("/test/metricsfoo")]
    [InlineData("/test/hello/")]
    [InlineData("/")]
    public async Task Paths_no_rule_takes_get_404(string path)
    {
        var client = _gateway.Client(443, trust: _certificate.Certificate);

        var response = await client.GetAsync("https://httpsserver.kuopenx.io" + path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_backend.Requests);
    }
}

using System.Net;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>The user's own checks from the homework, against the system `ingress up` starts, over verified TLS with SNI.</summary>
[Collection(LocalSystemGroup.Name)]
public sealed class UserChecksTests(LocalSystemFixture system)
{
    [Fact]
    public async Task Test_hello_answers_hello_over_tls_verified_by_the_local_ca()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/hello"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        Assert.Equal("istio-envoy", Assert.Single(response.Headers.GetValues("server")));
    }

    [Fact]
    public async Task Test_metrics_answers_the_services_prometheus_text()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/metrics"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("# TYPE httpserver_execution_latency_seconds histogram", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_with_no_route_is_404_from_the_gateway()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/not/routed"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Plain_http_is_redirected_to_https_with_the_host_kept()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Http("/test/hello?x=1"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        // Envoy keeps the Host header verbatim (port included) and swaps the scheme.
        Assert.Equal(
            new Uri($"https://httpsserver.kuopenx.io:{system.System.Ports.HttpPort}/test/hello?x=1"),
            response.Headers.Location);
    }

    [Fact]
    public async Task A_client_trusting_only_the_local_ca_refuses_another_host_name()
    {
        using var client = system.CreateClient();
        var wrongName = new Uri($"https://other.kuopenx.io:{system.System.Ports.HttpsPort}/test/hello");

        // No Gateway server matches the SNI: the handshake fails, as Istio's does.
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(wrongName));
    }
}

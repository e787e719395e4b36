using System.Net;
using System.Text.RegularExpressions;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Policies;

/// <summary>VirtualService fault injection as Envoy's fault filter applies it: delays, aborts, percentages.</summary>
public sealed partial class FaultTests : IAsyncLifetime
{
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await RecordingBackend.StartAsync("svc");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    [Fact]
    public async Task Abort_answers_locally_with_fault_filter_abort_and_FI()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                headers: {response: {set: {x-route: r1}}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/abort");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
        Assert.Equal("r1", response.Headers.GetValues("x-route").Single());
        Assert.False(response.Headers.Contains("x-envoy-upstream-service-time"));
        Assert.Empty(_backend.Requests);
        var line = await gw.AccessLog.WaitForLineAsync("/abort");
        Assert.Contains(" 503 FI fault_filter_abort ", line);
        Assert.Contains(" \"-\" outbound|80||svc.default.svc.cluster.local ", line);
    }

    [Fact]
    public async Task Fault_without_a_percentage_injects_nothing()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault:
                  abort: {httpStatus: 500}
                  delay: {fixedDelay: 10s}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/none");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("svc /none", await response.Content.ReadAsStringAsync());
        Assert.Contains(" 200 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/none"));
    }

    [Fact]
    public async Task Percentage_zero_injects_nothing()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault: {abort: {httpStatus: 500, percentage: {value: 0}}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/zero");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_backend.Requests);
    }

    [Fact]
    public async Task Delay_holds_the_request_before_forwarding_and_logs_DI()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault: {delay: {fixedDelay: 300ms, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/delayed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("svc /delayed", await response.Content.ReadAsStringAsync());
        Assert.Single(_backend.Requests);
        var line = await gw.AccessLog.WaitForLineAsync("/delayed");
        Assert.Contains(" 200 DI via_upstream ", line);
        Assert.True(Duration(line) >= 300, line);
    }

    [Fact]
    public async Task Delay_with_the_deprecated_integer_percent_is_injected()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault: {delay: {fixedDelay: 0.2s, percent: 100}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/legacy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = await gw.AccessLog.WaitForLineAsync("/legacy");
        Assert.Contains(" 200 DI via_upstream ", line);
        Assert.True(Duration(line) >= 200, line);
    }

    [Fact]
    public async Task Delay_then_abort_logs_both_flags()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault:
                  delay: {fixedDelay: 100ms, percentage: {value: 100}}
                  abort: {httpStatus: 429, percentage: {value: 100}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/both");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        Assert.Empty(_backend.Requests);
        Assert.Contains(" 429 DI,FI fault_filter_abort ", await gw.AccessLog.WaitForLineAsync("/both"));
    }

    [Fact]
    public async Task Grpc_status_abort_answers_a_grpc_request_with_trailers_only_status()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault: {abort: {grpcStatus: UNAVAILABLE, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://x/pkg.Svc/Call") { Content = new ByteArrayContent([0, 0, 0, 0, 0]) };
        request.Content.Headers.ContentType = new("application/grpc");

        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("14", response.Headers.GetValues("grpc-status").Single());
        Assert.Equal("fault filter abort", response.Headers.GetValues("grpc-message").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(_backend.Requests);
        Assert.Contains(" 200 FI fault_filter_abort ", await gw.AccessLog.WaitForLineAsync("/pkg.Svc/Call"));
    }

    [Fact]
    public async Task Grpc_status_abort_answers_a_plain_http_request_200_fault_filter_abort()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault: {abort: {grpcStatus: INTERNAL, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/plain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        Assert.Empty(_backend.Requests);
    }

    [Fact]
    public async Task Injected_faults_are_counted_in_istio_requests_total_with_their_flags()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var response = await gw.Client(80).GetAsync("http://x/counted");
        await gw.AccessLog.WaitForLineAsync("/counted");
        var metrics = await gw.Admin().GetStringAsync("/stats/prometheus");

        var line = metrics.Split('\n').Single(l => l.StartsWith("istio_requests_total{", StringComparison.Ordinal) && l.Contains("response_code=\"503\""));
        Assert.Contains("response_flags=\"FI\"", line);
        Assert.EndsWith(" 1", line);
    }

    // %DURATION% is the 14th space-separated field after the quoted request line: take the number after the two byte counts.
    private static long Duration(string line) => long.Parse(DurationPattern().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("\"[^\"]*\" \\d+ \\S+ \\S+ \\S+ \"[^\"]*\" \\d+ \\d+ (\\d+) ")]
    private static partial Regex DurationPattern();
}

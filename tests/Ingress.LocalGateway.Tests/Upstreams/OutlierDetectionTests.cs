using System.Net;
using Ingress.LocalGateway.Hosting;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Upstreams;

/// <summary>DestinationRule outlierDetection over real sockets: ejection, limits, panic, and state across reloads.</summary>
public sealed class OutlierDetectionTests : IAsyncLifetime
{
    private readonly List<RecordingBackend> _backends = [];

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "a", "b" })
        {
            _backends.Add(await RecordingBackend.StartAsync(name));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    private static string Rule(string outlier, string lb = "ROUND_ROBIN") => $$"""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: dr}
        spec:
          host: svc
          trafficPolicy:
            loadBalancer: {simple: {{lb}}}
            outlierDetection: {{outlier}}
        """;

    private Task<GatewayHarness> Start(string destinationRule, int backends = 2, IEnumerable<string>? extraEndpoints = null) =>
        GatewayHarness.StartAsync(LoadBalancingAndPoolTests.GatewayAndRoute + destinationRule,
            _backends.Take(backends).Select(b => $"svc.default.svc.cluster.local:80=http://127.0.0.1:{b.Port}").Concat(extraEndpoints ?? []));

    private static async Task<List<(HttpStatusCode Status, string Body)>> Send(HttpClient client, string path, int count)
    {
        var results = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.GetAsync("http://x" + path);
            results.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        return results;
    }

    [Fact]
    public async Task Consecutive_5xx_ejects_the_endpoint_and_it_receives_no_more_requests()
    {
        _backends[0].On("/p", 500, "broken");
        await using var gw = await Start(Rule("{consecutive5xxErrors: 2, interval: 1h, baseEjectionTime: 1h}"));

        var results = await Send(gw.Client(80), "/p", 12);

        Assert.Equal(2, _backends[0].Requests.Count);
        Assert.Equal(10, _backends[1].Requests.Count);
        Assert.Equal(2, results.Count(r => r is { Status: HttpStatusCode.InternalServerError, Body: "broken" }));
        Assert.Equal(10, results.Count(r => r is { Status: HttpStatusCode.OK, Body: "b /p" }));
        Assert.Equal(1, gw.Host.Snapshots.Serving.Cluster(LoadBalancingAndPoolTests.ClusterName).Outlier!.EjectedCount);
    }

    [Fact]
    public async Task A_success_between_errors_resets_the_consecutive_count()
    {
        var calls = 0;
        _backends[0].On("/p", async c =>
        {
            // 500, 200, 500, 200, ...: never two errors in a row.
            c.Response.StatusCode = Interlocked.Increment(ref calls) % 2 == 1 ? 500 : 200;
            await c.Response.WriteAsync("a");
        });
        await using var gw = await Start(Rule("{consecutive5xxErrors: 2, interval: 1h, baseEjectionTime: 1h}"), 1);

        var results = await Send(gw.Client(80), "/p", 8);

        Assert.Equal(8, _backends[0].Requests.Count);
        Assert.Equal(4, results.Count(r => r.Status == HttpStatusCode.InternalServerError));
    }

    [Fact]
    public async Task Consecutive_gateway_errors_eject_after_503s()
    {
        _backends[0].On("/p", 503, "unavailable");
        await using var gw = await Start(Rule("{consecutive5xxErrors: 0, consecutiveGatewayErrors: 3, interval: 1h, baseEjectionTime: 1h}"));

        await Send(gw.Client(80), "/p", 12);

        Assert.Equal(3, _backends[0].Requests.Count);
        Assert.Equal(9, _backends[1].Requests.Count);
    }

    [Fact]
    public async Task Consecutive_gateway_errors_do_not_count_500s()
    {
        _backends[0].On("/p", 500, "broken");
        await using var gw = await Start(Rule("{consecutive5xxErrors: 0, consecutiveGatewayErrors: 2, interval: 1h, baseEjectionTime: 1h}"));

        await Send(gw.Client(80), "/p", 12);

        Assert.Equal(6, _backends[0].Requests.Count);
        Assert.Equal(6, _backends[1].Requests.Count);
    }

    [Fact]
    public async Task Consecutive_5xx_defaults_to_5_when_only_other_fields_are_set()
    {
        _backends[0].On("/p", 500, "broken");
        await using var gw = await Start(Rule("{interval: 1h, baseEjectionTime: 1h}"));

        await Send(gw.Client(80), "/p", 20);

        Assert.Equal(5, _backends[0].Requests.Count);
        Assert.Equal(15, _backends[1].Requests.Count);
    }

    [Fact]
    public async Task Every_endpoint_ejected_answers_503_UH_no_healthy_upstream()
    {
        _backends[0].On("/p", 500, "broken");
        await using var gw = await Start(Rule("{consecutive5xxErrors: 1, interval: 1h, baseEjectionTime: 1h, maxEjectionPercent: 100}"), 1);
        var client = gw.Client(80);

        using var first = await client.GetAsync("http://x/p");
        using var second = await client.GetAsync("http://x/p?after");

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("no healthy upstream", await second.Content.ReadAsStringAsync());
        Assert.Contains(" 503 UH no_healthy_upstream ", await gw.AccessLog.WaitForLineAsync("/p?after"));
        Assert.Single(_backends[0].Requests);
    }

    [Fact]
    public async Task Max_ejection_percent_keeps_the_last_endpoints_in_service()
    {
        _backends[0].On("/p", 500, "a broken");
        _backends[1].On("/p", 500, "b broken");
        await using var gw = await Start(Rule("{consecutive5xxErrors: 1, interval: 1h, baseEjectionTime: 1h, maxEjectionPercent: 50}"));

        var results = await Send(gw.Client(80), "/p", 8);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.InternalServerError, r.Status));
        Assert.Equal(1, _backends.Count(b => b.Requests.Count == 1));
        Assert.Equal(1, _backends.Count(b => b.Requests.Count == 7));
    }

    [Fact]
    public async Task Min_health_percent_panics_and_balances_over_ejected_endpoints_too()
    {
        _backends[0].On("/p", 500, "broken");
        await using var gw = await Start(Rule("{consecutive5xxErrors: 1, interval: 1h, baseEjectionTime: 1h, minHealthPercent: 60}"));

        await Send(gw.Client(80), "/p", 8);

        Assert.Equal(4, _backends[0].Requests.Count);
        Assert.Equal(4, _backends[1].Requests.Count);
        Assert.Equal(1, gw.Host.Snapshots.Serving.Cluster(LoadBalancingAndPoolTests.ClusterName).Outlier!.EjectedCount);
    }

    [Fact]
    public async Task Connect_failure_counts_as_a_5xx_and_ejects_the_endpoint()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var gw = await Start(Rule("{consecutive5xxErrors: 1, interval: 1h, baseEjectionTime: 1h}"), 1,
            [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{closedPort}"]);

        var results = await Send(gw.Client(80), "/p", 6);

        Assert.Equal(1, results.Count(r => r is
        {
            Status: HttpStatusCode.ServiceUnavailable,
            Body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
        }));
        Assert.Equal(5, results.Count(r => r is { Status: HttpStatusCode.OK, Body: "a /p" }));
    }

    [Fact]
    public async Task Ejection_survives_a_reload_that_leaves_the_cluster_unchanged()
    {
        _backends[0].On("/p", 500, "broken");
        var rule = Rule("{consecutive5xxErrors: 1, interval: 1h, baseEjectionTime: 1h}");
        await using var gw = await Start(rule);
        var client = gw.Client(80);
        await Send(client, "/p", 4);
        Assert.Single(_backends[0].Requests);

        var reload = await gw.ReloadAsync(LoadBalancingAndPoolTests.GatewayAndRoute.Replace("retries: {attempts: 0}",
            "retries: {attempts: 0}\n    headers: {request: {set: {x-reloaded: \"1\"}}}", StringComparison.Ordinal) + rule);
        Assert.Equal(ReloadOutcome.Applied, reload.Outcome);
        await Send(client, "/p", 4);

        Assert.Single(_backends[0].Requests);
        Assert.Equal("1", _backends[1].Last.Header("x-reloaded"));
    }

    [Fact]
    public async Task A_changed_policy_on_reload_starts_the_cluster_afresh()
    {
        _backends[0].On("/p", 500, "broken");
        await using var gw = await Start(Rule("{consecutive5xxErrors: 1, interval: 1h, baseEjectionTime: 1h}"));
        var client = gw.Client(80);
        await Send(client, "/p", 4);
        Assert.Single(_backends[0].Requests);

        var reload = await gw.ReloadAsync(LoadBalancingAndPoolTests.GatewayAndRoute +
            Rule("{consecutive5xxErrors: 3, interval: 1h, baseEjectionTime: 1h}"));
        Assert.Equal(ReloadOutcome.Applied, reload.Outcome);
        await Send(client, "/p", 8);

        Assert.Equal(4, _backends[0].Requests.Count);
    }
}

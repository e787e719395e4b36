using System.Net;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Snapshot.Upstreams;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Upstreams;

/// <summary>DestinationRule loadBalancer and connectionPool over real sockets, with several recording backends.</summary>
public sealed class LoadBalancingAndPoolTests : IAsyncLifetime
{
    internal const string ClusterName = "outbound|80||svc.default.svc.cluster.local";

    private readonly List<RecordingBackend> _backends = [];

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "a", "b", "c" })
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

    internal const string GatewayAndRoute = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - retries: {attempts: 0}
            route: [{destination: {host: svc}}]
        ---

        """;

    private Task<GatewayHarness> Start(string destinationRule, int backends) =>
        GatewayHarness.StartAsync(GatewayAndRoute + destinationRule,
            _backends.Take(backends).Select(b => $"svc.default.svc.cluster.local:80=http://127.0.0.1:{b.Port}"));

    private static async Task<string> BodyOf(HttpClient client, string path)
    {
        using var response = await client.GetAsync("http://x" + path);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Round_robin_sends_requests_to_the_endpoints_in_turn()
    {
        await using var gw = await Start("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
            """, 3);
        var client = gw.Client(80);

        var served = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            served.Add((await BodyOf(client, "/rr")).Split(' ')[0]);
        }

        Assert.Equal(3, served.Take(3).Distinct().Count());
        Assert.Equal(served.Take(3).Concat(served.Take(3)).Concat(served.Take(3)), served);
        Assert.All(_backends, b => Assert.Equal(3, b.Requests.Count));
        Assert.DoesNotContain(gw.Host.Snapshots.Current.Diagnostics, d => d.FieldPath?.Contains("loadBalancer", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Random_reaches_every_endpoint()
    {
        await using var gw = await Start("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy: {loadBalancer: {simple: RANDOM}}
            """, 2);
        var client = gw.Client(80);

        for (var i = 0; i < 64; i++)
        {
            Assert.EndsWith(" /random", await BodyOf(client, "/random"));
        }

        Assert.Equal(64, _backends[0].Requests.Count + _backends[1].Requests.Count);
        Assert.NotEmpty(_backends[0].Requests);
        Assert.NotEmpty(_backends[1].Requests);
        Assert.Equal(LoadBalancerKind.Random, gw.Host.Snapshots.Current.Clusters[ClusterName].Policy.LoadBalancer);
    }

    [Fact]
    public async Task Least_request_is_used_when_no_destination_rule_sets_a_load_balancer()
    {
        await using var gw = await Start("", 2);

        Assert.Contains(await BodyOf(gw.Client(80), "/lr"), new[] { "a /lr", "b /lr" });
        Assert.Equal(LoadBalancerKind.LeastRequest, gw.Host.Snapshots.Current.Clusters[ClusterName].Policy.LoadBalancer);
    }

    [Fact]
    public void Least_request_takes_the_drawn_endpoint_with_fewer_requests_in_flight_and_the_first_on_a_tie()
    {
        var draws = new Queue<int>([0, 1, 1, 0, 1, 0]);
        var balancer = LoadBalancer.Create(LoadBalancerKind.LeastRequest, _ => draws.Dequeue());
        long[] active = [3, 1];

        Assert.Equal(1, balancer.Pick([0, 1], active));
        Assert.Equal(1, balancer.Pick([0, 1], active));
        active[0] = 1;
        Assert.Equal(1, balancer.Pick([0, 1], active));
        Assert.Empty(draws);
    }

    [Fact]
    public async Task Requests_beyond_max_connections_and_pending_get_503_UO_overflow()
    {
        var release = new TaskCompletionSource();
        _backends[0].On("/hold", async c =>
        {
            await release.Task;
            await c.Response.WriteAsync("held");
        });
        await using var gw = await Start("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 1}
                  http: {http1MaxPendingRequests: 1}
            """, 1);
        var client = gw.Client(80);
        var limiter = gw.Host.Snapshots.Serving.Cluster(ClusterName).Limiter;
        var first = client.GetAsync("http://x/hold");
        await Poll.UntilAsync(() => _backends[0].Requests.Count == 1);
        var second = client.GetAsync("http://x/hold");
        await Poll.UntilAsync(() => limiter.Pending == 1);

        using var third = await client.GetAsync("http://x/overflow");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: overflow", await third.Content.ReadAsStringAsync());
        Assert.Equal("true", third.Headers.GetValues("x-envoy-overloaded").Single());
        Assert.Equal("istio-envoy", third.Headers.Server.ToString());
        Assert.Contains(" 503 UO upstream_reset_before_response_started{overflow} ", await gw.AccessLog.WaitForLineAsync("/overflow"));
        release.SetResult();
        using var firstResponse = await first;
        using var secondResponse = await second;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
        Assert.Equal(2, _backends[0].Requests.Count);
    }

    [Fact]
    public async Task Requests_beyond_http2MaxRequests_in_flight_get_503_UO()
    {
        var release = new TaskCompletionSource();
        _backends[0].On("/hold", async c =>
        {
            await release.Task;
            await c.Response.WriteAsync("held");
        });
        await using var gw = await Start("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                connectionPool:
                  http: {http2MaxRequests: 1}
            """, 1);
        var client = gw.Client(80);
        var first = client.GetAsync("http://x/hold");
        await Poll.UntilAsync(() => _backends[0].Requests.Count == 1);

        using var second = await client.GetAsync("http://x/second");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: overflow", await second.Content.ReadAsStringAsync());
        Assert.Contains(" 503 UO upstream_reset_before_response_started{overflow} ", await gw.AccessLog.WaitForLineAsync("/second"));
        release.SetResult();
        using var firstResponse = await first;
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        using var after = await client.GetAsync("http://x/after");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, _backends[0].Requests.Count);
    }

    [Fact]
    public async Task Max_requests_per_connection_1_uses_a_new_upstream_connection_for_every_request()
    {
        var connections = new List<string>();
        _backends[0].On("/conn", async c =>
        {
            lock (connections)
            {
                connections.Add(c.Connection.Id);
            }

            await c.Response.WriteAsync("ok");
        });
        await using var gw = await Start("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                connectionPool:
                  http: {maxRequestsPerConnection: 1}
            """, 1);
        var client = gw.Client(80);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ok", await BodyOf(client, "/conn"));
        }

        Assert.Equal(3, connections.Distinct().Count());
    }

    [Fact]
    public async Task Upstream_connections_are_reused_without_a_per_connection_limit()
    {
        var connections = new List<string>();
        _backends[0].On("/conn", async c =>
        {
            lock (connections)
            {
                connections.Add(c.Connection.Id);
            }

            await c.Response.WriteAsync("ok");
        });
        await using var gw = await Start("", 1);
        var client = gw.Client(80);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ok", await BodyOf(client, "/conn"));
        }

        Assert.Single(connections.Distinct());
    }

    [Fact]
    public async Task Connect_timeout_and_limits_from_the_connection_pool_are_applied_to_the_cluster()
    {
        await using var gw = await Start("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 7, connectTimeout: 250ms, maxConnectionDuration: 1h}
                  http: {http1MaxPendingRequests: 3, http2MaxRequests: 9, maxRetries: 2, idleTimeout: 30s}
            """, 1);

        var limits = gw.Host.Snapshots.Current.Clusters[ClusterName].Policy.Limits;

        Assert.Equal(new ConnectionLimits
        {
            MaxConnections = 7,
            ConnectTimeout = TimeSpan.FromMilliseconds(250),
            MaxConnectionDuration = TimeSpan.FromHours(1),
            MaxPendingRequests = 3,
            MaxRequests = 9,
            MaxRetries = 2,
            IdleTimeout = TimeSpan.FromSeconds(30),
        }, limits);
        Assert.Equal("a /x", await BodyOf(gw.Client(80), "/x"));
    }

    [Fact]
    public async Task Retry_budget_from_maxRetries_refuses_retries_beyond_it()
    {
        await using var gw = await Start("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                connectionPool:
                  http: {maxRetries: 1}
            """, 1);
        var cluster = gw.Host.Snapshots.Serving.Cluster(ClusterName);

        using var first = cluster.TryAcquireRetry();
        var second = cluster.TryAcquireRetry();
        Assert.NotNull(first);
        Assert.Null(second);
        first!.Dispose();
        using var third = cluster.TryAcquireRetry();
        Assert.NotNull(third);
    }

    [Fact]
    public async Task Subset_policy_overrides_the_top_level_one_field_by_field()
    {
        await using var gw = await GatewayHarness.StartAsync(
            GatewayAndRoute.Replace("{destination: {host: svc}}", "{destination: {host: svc, subset: v1}}", StringComparison.Ordinal) + """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                loadBalancer: {simple: RANDOM}
                connectionPool: {http: {http2MaxRequests: 5}}
              subsets:
              - name: v1
                labels: {version: v1}
                trafficPolicy:
                  loadBalancer: {simple: ROUND_ROBIN}
            """, _backends.Take(2).Select(b => $"svc.default.svc.cluster.local:80=http://127.0.0.1:{b.Port};version=v1"));
        var client = gw.Client(80);

        var served = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            served.Add((await BodyOf(client, "/subset")).Split(' ')[0]);
        }

        Assert.Equal(2, served.Take(2).Distinct().Count());
        Assert.Equal(served.Take(2).Concat(served.Take(2)).Concat(served.Take(2)), served);
        var policy = gw.Host.Snapshots.Current.Clusters["outbound|80|v1|svc.default.svc.cluster.local"].Policy;
        Assert.Equal(LoadBalancerKind.RoundRobin, policy.LoadBalancer);
        Assert.Equal(5, policy.Limits.MaxRequests);
    }

    [Fact]
    public async Task Unsupported_and_ineffective_load_balancer_fields_are_reported_with_their_path()
    {
        await using var gw = await GatewayHarness.StartAsync(GatewayAndRoute + """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                loadBalancer:
                  consistentHash: {httpHeaderName: x-user}
                  localityLbSetting: {enabled: true}
            """, [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{_backends[0].Port}"],
            configure: o => o with { AllowUnsupported = UnsupportedFields.All });

        var findings = gw.Host.Snapshots.Current.Diagnostics;

        Assert.Contains(findings, d => d.Code == "ING0201" && d.FieldPath == "spec.trafficPolicy.loadBalancer.consistentHash"
            && d.Message.StartsWith("spec.trafficPolicy.loadBalancer.consistentHash: consistentHash (ring hash and Maglev session affinity;", StringComparison.Ordinal)
            && d.Message.Contains("is not supported by the local gateway", StringComparison.Ordinal));
        Assert.Contains(findings, d => d.Code == GatewayCodes.NoLocalEffect
            && d.FieldPath == "spec.trafficPolicy.loadBalancer.localityLbSetting"
            && d.Message == "spec.trafficPolicy.loadBalancer: locality load balancing has no effect locally: every local endpoint is in the gateway's own locality");
        Assert.Equal("a /still-served", await BodyOf(gw.Client(80), "/still-served"));
    }
}

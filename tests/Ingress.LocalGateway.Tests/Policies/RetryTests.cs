using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Policies;

/// <summary>VirtualService retries as Istio configures Envoy's router: defaults, retryOn, per-try timeout, hosts, bodies.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private RecordingBackend _a = null!;
    private RecordingBackend _b = null!;

    public async Task InitializeAsync()
    {
        _a = await RecordingBackend.StartAsync("a");
        _b = await RecordingBackend.StartAsync("b");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    // The first request either backend sees on the path gets the status; every later one is answered 200 by its backend.
    private void FirstAnswers(string path, int status)
    {
        var count = 0;
        foreach (var backend in new[] { _a, _b })
        {
            var name = backend.Name;
            backend.On(path, async c =>
            {
                if (Interlocked.Increment(ref count) == 1)
                {
                    c.Response.StatusCode = status;
                    await c.Response.WriteAsync("first");
                    return;
                }

                await c.Response.WriteAsync("ok from " + name);
            });
        }
    }

    private static string? Attempt(RecordingBackend backend, int index) => backend.Requests[index].Header("x-envoy-attempt-count");

    [Fact]
    public async Task Default_policy_retries_a_503_once_on_the_other_endpoint_with_the_attempt_count()
    {
        FirstAnswers("/flaky", 503);
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n",
            PolicyYaml.Endpoint(_a), PolicyYaml.Endpoint(_b));

        using var response = await gw.Client(80).GetAsync("http://x/flaky");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (first, second) = _a.Requests.Count == 1 && Attempt(_a, 0) == "1" ? (_a, _b) : (_b, _a);
        Assert.Equal("ok from " + second.Name, await response.Content.ReadAsStringAsync());
        Assert.Single(first.Requests);
        Assert.Single(second.Requests);
        Assert.Equal("1", Attempt(first, 0));
        Assert.Equal("2", Attempt(second, 0));
        Assert.Equal(first.Last.Header("x-request-id"), second.Last.Header("x-request-id"));
        var line = await gw.AccessLog.WaitForLineAsync("/flaky");
        Assert.Contains(" 200 - via_upstream ", line);
        Assert.Contains($"\"127.0.0.1:{second.Port}\"", line);
    }

    [Fact]
    public async Task Default_policy_does_not_retry_a_500()
    {
        _a.On("/boom", 500, "boom");
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n", PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("boom", await response.Content.ReadAsStringAsync());
        Assert.Single(_a.Requests);
        Assert.Contains(" 500 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/boom"));
    }

    [Fact]
    public async Task Exhausted_retries_pass_the_last_503_through_with_URX()
    {
        _a.On("/busy", 503, "busy");
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n", PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/busy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("busy", await response.Content.ReadAsStringAsync());
        Assert.Equal(["1", "2", "3"], _a.Requests.Select(r => r.Header("x-envoy-attempt-count")));
        Assert.Contains(" 503 URX via_upstream ", await gw.AccessLog.WaitForLineAsync("/busy"));
    }

    [Fact]
    public async Task Attempts_zero_disables_retries()
    {
        _a.On("/busy", 503, "busy");
        await using var gw = await PolicyYaml.StartAsync("""
              - retries: {attempts: 0}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/busy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_a.Requests);
        Assert.Contains(" 503 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/busy"));
    }

    [Theory]
    [InlineData("5xx", 500)]
    [InlineData("gateway-error", 502)]
    [InlineData("retriable-4xx", 409)]
    [InlineData("409", 409)]
    [InlineData("retriable-status-codes,418", 418)]
    public async Task RetryOn_conditions_retry_their_statuses(string retryOn, int status)
    {
        FirstAnswers("/once", status);
        await using var gw = await PolicyYaml.StartAsync(
            "  - retries: {attempts: 1, retryOn: \"" + retryOn + "\"}\n    route: [{destination: {host: svc}}]\n", PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/once");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok from a", await response.Content.ReadAsStringAsync());
        Assert.Equal(["1", "2"], _a.Requests.Select(r => r.Header("x-envoy-attempt-count")));
    }

    [Fact]
    public async Task RetryOn_without_the_status_does_not_retry_it()
    {
        _a.On("/conflict", 409, "conflict");
        await using var gw = await PolicyYaml.StartAsync("""
              - retries: {attempts: 3, retryOn: "5xx"}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/conflict");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Single(_a.Requests);
    }

    [Fact]
    public async Task Connect_failures_are_retried_on_another_endpoint()
    {
        var dead = $"svc.default.svc.cluster.local:80=http://127.0.0.1:{PolicyYaml.ClosedPort()}";
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n", dead, PolicyYaml.Endpoint(_a));
        var client = gw.Client(80);

        // Round robin over a dead and a live endpoint: some requests try the dead one first.
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync($"http://x/cf{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(" 200 - via_upstream ", await gw.AccessLog.WaitForLineAsync($"/cf{i} "));
        }

        Assert.Equal(10, _a.Requests.Count);
        Assert.Contains(_a.Requests, r => r.Header("x-envoy-attempt-count") == "2");
    }

    [Fact]
    public async Task Exhausted_connect_failure_retries_answer_503_UF_URX_retried_body()
    {
        var dead = $"svc.default.svc.cluster.local:80=http://127.0.0.1:{PolicyYaml.ClosedPort()}";
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n", dead);

        using var response = await gw.Client(80).GetAsync("http://x/down");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection failure",
            await response.Content.ReadAsStringAsync());
        Assert.Contains(" 503 UF,URX upstream_reset_before_response_started{connection_failure} ", await gw.AccessLog.WaitForLineAsync("/down"));
    }

    [Fact]
    public async Task Per_try_timeout_is_retried_when_retryOn_covers_resets()
    {
        var calls = 0;
        _a.On("/slow-once", async c =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
            }

            await c.Response.WriteAsync("second try");
        });
        await using var gw = await PolicyYaml.StartAsync("""
              - retries: {attempts: 1, perTryTimeout: 0.2s, retryOn: gateway-error}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/slow-once");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("second try", await response.Content.ReadAsStringAsync());
        Assert.Equal(["1", "2"], _a.Requests.Select(r => r.Header("x-envoy-attempt-count")));
        Assert.Contains(" 200 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/slow-once"));
    }

    [Fact]
    public async Task Per_try_timeout_of_the_last_attempt_answers_504_UT_URX()
    {
        _a.On("/slow", async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
            await c.Response.WriteAsync("late");
        });
        await using var gw = await PolicyYaml.StartAsync("""
              - retries: {attempts: 1, perTryTimeout: 0.2s, retryOn: reset}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _a.Requests.Count);
        Assert.Contains(" 504 UT,URX upstream_per_try_timeout ", await gw.AccessLog.WaitForLineAsync("/slow"));
    }

    [Fact]
    public async Task Per_try_timeout_not_covered_by_retryOn_answers_504_UT_without_retry()
    {
        _a.On("/slow", async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
            await c.Response.WriteAsync("late");
        });
        await using var gw = await PolicyYaml.StartAsync("""
              - retries: {attempts: 2, perTryTimeout: 0.2s, retryOn: connect-failure}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Single(_a.Requests);
        Assert.Contains(" 504 UT upstream_per_try_timeout ", await gw.AccessLog.WaitForLineAsync("/slow"));
    }

    [Fact]
    public async Task Route_timeout_bounds_all_attempts_and_answers_504_UT()
    {
        _a.On("/slow", async c =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted);
            await c.Response.WriteAsync("late");
        });
        await using var gw = await PolicyYaml.StartAsync("""
              - timeout: 0.5s
                retries: {attempts: 5, perTryTimeout: 0.2s, retryOn: reset}
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).GetAsync("http://x/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream request timeout", await response.Content.ReadAsStringAsync());
        Assert.InRange(_a.Requests.Count, 2, 3);
        Assert.Contains(" 504 UT upstream_response_timeout ", await gw.AccessLog.WaitForLineAsync("/slow"));
    }

    [Fact]
    public async Task A_retried_request_sends_its_body_again()
    {
        var bodies = new ConcurrentQueue<string>();
        var count = 0;
        _a.On("/upload", async c =>
        {
            using var reader = new StreamReader(c.Request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            c.Response.StatusCode = Interlocked.Increment(ref count) == 1 ? 503 : 201;
            await c.Response.WriteAsync("stored");
        });
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n", PolicyYaml.Endpoint(_a));

        using var response = await gw.Client(80).PostAsync("http://x/upload", new StringContent("payload-42", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["payload-42", "payload-42"], bodies);
        Assert.Equal(["10", "10"], _a.Requests.Select(r => r.Header("content-length")));
    }

    [Fact]
    public async Task A_body_over_the_buffer_limit_is_sent_once_and_not_retried()
    {
        var received = 0L;
        _a.On("/big", async c =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await c.Request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref received, read);
            }

            c.Response.StatusCode = 503;
            await c.Response.WriteAsync("busy");
        });
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n", PolicyYaml.Endpoint(_a));
        var body = new byte[(1024 * 1024) + 1];

        using var response = await gw.Client(80).PostAsync("http://x/big", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_a.Requests);
        Assert.Equal(body.Length, Interlocked.Read(ref received));
        Assert.Contains(" 503 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/big"));
    }

    [Fact]
    public async Task A_chunked_body_over_the_buffer_limit_streams_whole_and_is_not_retried()
    {
        var received = 0L;
        _a.On("/chunked", async c =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await c.Request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref received, read);
            }

            c.Response.StatusCode = 503;
            await c.Response.WriteAsync("busy");
        });
        await using var gw = await PolicyYaml.StartAsync("  - route: [{destination: {host: svc}}]\n", PolicyYaml.Endpoint(_a));
        var body = new byte[(1024 * 1024) + 4096];
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://x/chunked") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_a.Requests);
        Assert.Equal(body.Length, Interlocked.Read(ref received));
    }

    [Fact]
    public async Task A_spent_maxRetries_budget_passes_the_retriable_response_on_with_UO_and_a_free_one_retries()
    {
        FirstAnswers("/budget", 503);
        FirstAnswers("/budget-free", 503);
        await using var gw = await GatewayHarness.StartAsync(PolicyYaml.With("  - route: [{destination: {host: svc}}]\n") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr}
            spec:
              host: svc
              trafficPolicy:
                connectionPool:
                  http: {maxRetries: 1}
            """, [PolicyYaml.Endpoint(_a), PolicyYaml.Endpoint(_b)]);
        var cluster = gw.Host.Snapshots.Serving.Cluster("outbound|80||svc.default.svc.cluster.local");

        // Another request's retry holds the only slot: this one may not retry.
        using (var held = cluster.TryAcquireRetry())
        {
            Assert.NotNull(held);
            using var refused = await gw.Client(80).GetAsync("http://x/budget");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("first", await refused.Content.ReadAsStringAsync());
            Assert.Equal(1, _a.Requests.Count + _b.Requests.Count);
            Assert.Contains(" 503 UO via_upstream ", await gw.AccessLog.WaitForLineAsync("/budget "));
        }

        // The slot is free again: the retriable response is retried, and the retry gives its slot back.
        using var retried = await gw.Client(80).GetAsync("http://x/budget-free");

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(3, _a.Requests.Count + _b.Requests.Count);
        using var afterwards = cluster.TryAcquireRetry();
        Assert.NotNull(afterwards);
    }
}

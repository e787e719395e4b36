using System.Net;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed class TracingTests
{
    private const string TraceId = "463ac35c9f6413ad48485a3953bb6124";
    private const string SpanId = "a2fb4a1d1a96d312";

    [Fact]
    public async Task B3_only_request_continues_its_trace_in_both_B3_and_W3C_downstream()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("x-b3-traceid", TraceId);
        request.Headers.Add("x-b3-spanid", SpanId);
        request.Headers.Add("x-b3-sampled", "1");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(downstream.Requests);
        Assert.Equal(TraceId, sent["x-b3-traceid"]);
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-01$", sent["traceparent"]);
        var clientSpan = sent["traceparent"].Split('-')[2];
        Assert.Equal(clientSpan, sent["x-b3-spanid"]);
        Assert.NotEqual(SpanId, sent["x-b3-spanid"]);
        Assert.Equal("1", sent["x-b3-sampled"]);
        Assert.Equal($"{TraceId}-{clientSpan}-1-{sent["x-b3-parentspanid"]}", sent["b3"]);
        var logged = Assert.Single(await server.AccessLog.WaitForAsync(l => l.Contains("\"path\":\"/hello\"", StringComparison.Ordinal)));
        Assert.Contains($"\"traceId\":\"{TraceId}\"", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Single_b3_header_request_continues_its_trace()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("b3", $"{TraceId}-{SpanId}-1");

        using var response = await server.Client.SendAsync(request);

        var sent = Assert.Single(downstream.Requests);
        Assert.Equal(TraceId, sent["x-b3-traceid"]);
        Assert.StartsWith($"00-{TraceId}-", sent["traceparent"], StringComparison.Ordinal);
        Assert.StartsWith($"{TraceId}-", sent["b3"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task W3C_request_continues_its_trace_in_both_W3C_and_B3_downstream()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("traceparent", $"00-{TraceId}-{SpanId}-01");
        request.Headers.Add("tracestate", "vendor=value");

        using var response = await server.Client.SendAsync(request);

        var sent = Assert.Single(downstream.Requests);
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-01$", sent["traceparent"]);
        Assert.DoesNotContain(SpanId, sent["traceparent"], StringComparison.Ordinal);
        Assert.Equal("vendor=value", sent["tracestate"]);
        Assert.Equal(TraceId, sent["x-b3-traceid"]);
        Assert.Equal(sent["traceparent"].Split('-')[2], sent["x-b3-spanid"]);
    }

    [Fact]
    public async Task Unsampled_b3_request_stays_unsampled_downstream()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("b3", $"{TraceId}-{SpanId}-0");

        using var response = await server.Client.SendAsync(request);

        var sent = Assert.Single(downstream.Requests);
        Assert.Equal(TraceId, sent["x-b3-traceid"]);
        Assert.Equal("0", sent["x-b3-sampled"]);
        Assert.EndsWith("-00", sent["traceparent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_tracing_headers_are_forwarded_as_they_came()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });
        var forwarded = new Dictionary<string, string>
        {
            ["x-request-id"] = "8f2c7f6e-1d1c-4b0a-9a53-5e3f0a0f9b11",
            ["x-ot-span-context"] = "ot-context",
            ["x-cloud-trace-context"] = "105445aa7843bc8bf206b12000100000/1;o=1",
            ["grpc-trace-bin"] = "AAARf5Bnt9X7V8JdYv8uGZmgAQ==",
            ["sw8"] = "1-MQ==-NQ==-3-bWVzaA==-aW5zdA==-L2hlbGxv-MTI3LjAuMC4xOjgw",
            ["x-datadog-trace-id"] = "12345",
            ["x-datadog-parent-id"] = "67890",
            ["x-datadog-sampling-priority"] = "1",
        };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        foreach (var (name, value) in forwarded)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Add("x-not-tracing", "stays-here");

        using var response = await server.Client.SendAsync(request);

        var sent = Assert.Single(downstream.Requests);
        foreach (var (name, value) in forwarded)
        {
            Assert.Equal(value, sent[name]);
        }

        Assert.False(sent.ContainsKey("x-not-tracing"));
    }

    [Fact]
    public async Task A_failing_downstream_gives_502_naming_it()
    {
        await using var downstream = await RecordingServer.StartAsync(status: 503);
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });

        using var response = await server.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal($"downstream {downstream.Address}hello failed: status 503", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unreachable_downstream_gives_502_naming_it()
    {
        var closedPort = FreePort.Get();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = $"http://127.0.0.1:{closedPort}" });

        using var response = await server.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal($"downstream http://127.0.0.1:{closedPort}/hello failed: unreachable", await response.Content.ReadAsStringAsync());
    }
}

using System.Text.Json;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed class CallChainTests
{
    [Fact]
    public async Task Three_instances_share_one_trace_id_at_every_hop()
    {
        await using var end = await RecordingServer.StartAsync();
        await using var service2 = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = end.Address.ToString() });
        await using var service1 = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = service2.Address.ToString() });
        await using var service0 = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = service1.Address.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("x-request-id", "chain-request-1");

        using var response = await service0.Client.SendAsync(request);

        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        var traceIds = new List<string>();
        foreach (var service in new[] { service0, service1, service2 })
        {
            var line = Assert.Single(await service.AccessLog.WaitForAsync(l => l.Contains("\"path\":\"/hello\"", StringComparison.Ordinal)));
            using var json = JsonDocument.Parse(line);
            traceIds.Add(json.RootElement.GetProperty("traceId").GetString()!);
        }

        var last = Assert.Single(end.Requests);
        Assert.Matches("^[0-9a-f]{32}$", traceIds[0]);
        Assert.Equal([traceIds[0], traceIds[0], traceIds[0]], traceIds);
        Assert.Equal(traceIds[0], last["x-b3-traceid"]);
        Assert.StartsWith($"00-{traceIds[0]}-", last["traceparent"], StringComparison.Ordinal);
        Assert.Equal("chain-request-1", last["x-request-id"]);
    }

    [Fact]
    public async Task A_B3_trace_from_the_gateway_runs_through_the_whole_chain()
    {
        const string traceId = "80f198ee56343ba864fe8b2a57d3eff7";
        await using var end = await RecordingServer.StartAsync();
        await using var service2 = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = end.Address.ToString() });
        await using var service1 = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = service2.Address.ToString() });
        await using var service0 = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = service1.Address.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("x-b3-traceid", traceId);
        request.Headers.Add("x-b3-spanid", "e457b5a2e4d86bd1");
        request.Headers.Add("x-b3-sampled", "1");

        using var response = await service0.Client.SendAsync(request);

        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        foreach (var service in new[] { service0, service1, service2 })
        {
            var line = Assert.Single(await service.AccessLog.WaitForAsync(l => l.Contains("\"path\":\"/hello\"", StringComparison.Ordinal)));
            Assert.Contains($"\"traceId\":\"{traceId}\"", line, StringComparison.Ordinal);
        }

        Assert.Equal(traceId, Assert.Single(end.Requests)["x-b3-traceid"]);
    }
}

using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Spans_are_sent_over_OTLP_when_the_endpoint_is_set_and_flushed_by_shutdown()
    {
        await using var collector = await RecordingServer.StartAsync();
        var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "service0",
        });
        await using (server)
        {
            Assert.Equal("hello.", await server.Client.GetStringAsync(new Uri("/hello", UriKind.Relative)));
            await server.App.StopAsync();
        }

        var exported = collector.Requests.Where(r => r[":path"] == "/v1/traces").ToList();
        Assert.NotEmpty(exported);
        Assert.All(exported, r => Assert.Equal("POST", r[":method"]));
        Assert.All(exported, r => Assert.Equal("application/x-protobuf", r["content-type"]));
    }
}

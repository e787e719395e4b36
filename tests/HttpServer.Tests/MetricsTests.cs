using System.Text.RegularExpressions;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_exposes_the_latency_histogram_with_15_buckets_doubling_from_1ms()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();
        await client.GetStringAsync(new Uri("/hello", UriKind.Relative));

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("# TYPE httpserver_execution_latency_seconds histogram\n", text, StringComparison.Ordinal);
        var buckets = BucketLine().Matches(text).Select(m => m.Groups["le"].Value).ToList();
        Assert.Equal(
            ["0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512",
             "1.024", "2.048", "4.096", "8.192", "16.384", "+Inf"],
            buckets);
        Assert.Contains("httpserver_execution_latency_seconds_count{step=\"total\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("httpserver_execution_latency_seconds_bucket{step=\"total\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_counts_requests_by_route_method_and_status()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();
        await client.GetStringAsync(new Uri("/hello", UriKind.Relative));
        await client.GetStringAsync(new Uri("/hello", UriKind.Relative));
        using (await client.GetAsync(new Uri("/status/503", UriKind.Relative)))
        {
        }

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("http_requests_received_total{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/hello\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_received_total{code=\"503\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/status/{code}\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_count{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/hello\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_exposes_process_and_runtime_metrics()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        foreach (var family in new[]
        {
            "process_working_set_bytes", "process_cpu_seconds_total", "dotnet_collection_count_total", "dotnet_total_memory_bytes",
            "system_runtime_dotnet_gc_collections", "system_runtime_dotnet_thread_pool_thread_count", "system_runtime_dotnet_gc_pause_time",
        })
        {
            Assert.Contains($"# TYPE {family} ", text, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("^httpserver_execution_latency_seconds_bucket\\{step=\"total\",le=\"(?<le>[^\"]+)\"\\} \\d+$", RegexOptions.Multiline)]
    private static partial Regex BucketLine();
}

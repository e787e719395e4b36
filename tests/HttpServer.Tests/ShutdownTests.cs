using System.Net;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Readiness_fails_first_and_requests_in_flight_and_during_the_drain_all_complete()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            // Generous times: the shared CI machine can be slow, and the checks during the drain must fit inside it.
            ["Shutdown:DrainDelaySeconds"] = "3",
            ["Shutdown:GracePeriodSeconds"] = "20",
        });
        var slow = server.Client.GetAsync(new Uri("/delay/4", UriKind.Relative));
        await WaitUntilAsync(() => DelayInProgressAsync(server));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(server, "/readyz"));

        var stopping = server.App.StopAsync();

        // Readiness flips while the server still answers everything else.
        await WaitUntilAsync(async () => (await GetStatusAsync(server, "/readyz")) == HttpStatusCode.ServiceUnavailable);
        Assert.False(stopping.IsCompleted);
        using (var duringDrain = await server.Client.GetAsync(new Uri("/hello", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, duringDrain.StatusCode);
            Assert.Equal("hello.", await duringDrain.Content.ReadAsStringAsync());
        }

        using var slowResponse = await slow;
        Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
        Assert.Equal("{\"delaySeconds\":4}", await slowResponse.Content.ReadAsStringAsync());

        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        // The access-log writer stops after the server, so the request that finished last is still logged.
        Assert.Contains(server.AccessLog.Lines, l => l.Contains("\"path\":\"/delay/4\",\"status\":200", StringComparison.Ordinal));
        using var after = RunningServer.CreateClient(server.Address);
        await Assert.ThrowsAsync<HttpRequestException>(() => after.GetAsync(new Uri("/healthz", UriKind.Relative)));
    }

    [Fact]
    public async Task The_grace_period_bounds_the_shutdown()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Shutdown:DrainDelaySeconds"] = "0",
            ["Shutdown:GracePeriodSeconds"] = "1",
        });
        var hung = server.Client.GetAsync(new Uri("/delay/30", UriKind.Relative));
        await WaitUntilAsync(() => DelayInProgressAsync(server));

        var started = TimeProvider.System.GetTimestamp();
        await server.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => hung);
    }

    private static async Task<bool> DelayInProgressAsync(RunningServer server)
    {
        var metrics = await server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return metrics.Contains("http_requests_in_progress{method=\"GET\",controller=\"\",action=\"\",endpoint=\"/delay/{seconds}\"} 1\n", StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> GetStatusAsync(RunningServer server, string path)
    {
        using var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("condition not met within 10 s");
            }

            await Task.Delay(20);
        }
    }
}

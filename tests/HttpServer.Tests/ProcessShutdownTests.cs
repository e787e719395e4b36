using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed partial class ProcessShutdownTests
{
    [Fact]
    public async Task SIGTERM_fails_readiness_drains_finishes_the_slow_request_and_exits_0()
    {
        var dll = typeof(HttpServerApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet",
            [dll, "--urls=http://127.0.0.1:0", "--Shutdown:DrainDelaySeconds=3", "--Shutdown:GracePeriodSeconds=15", "--AccessLog:Format=Off"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var address = await ReadListeningAddressAsync(process).WaitAsync(TimeSpan.FromSeconds(30));
            using var client = RunningServer.CreateClient(address);
            var slow = client.GetAsync(new Uri("/delay/4", UriKind.Relative));
            await WaitUntilAsync(async () =>
                (await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)))
                    .Contains("endpoint=\"/delay/{seconds}\"} 1\n", StringComparison.Ordinal));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await WaitUntilAsync(async () =>
            {
                using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                return ready.StatusCode == HttpStatusCode.ServiceUnavailable;
            });
            Assert.False(process.HasExited);

            using var slowResponse = await slow;
            Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<Uri> ReadListeningAddressAsync(Process process)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var match = Listening().Match(line);
            if (match.Success)
            {
                // Keep draining stdout so the child never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                return new Uri(match.Groups["url"].Value);
            }
        }

        throw new InvalidOperationException("the service exited before listening");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("condition not met within 10 s");
            }

            await Task.Delay(20);
        }
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

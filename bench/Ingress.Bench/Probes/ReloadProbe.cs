using System.Diagnostics;
using System.Globalization;
using Ingress.Bench.Common;

namespace Ingress.Bench.Probes;

/// <summary>
/// Reload time: writes the new content over the watched file (in place, as a script or an editor does), then polls
/// the probe URL every 2 ms until it answers the expected status (a route that only the new config has).
/// </summary>
public static class ReloadProbe
{
    /// <summary>Prints <c>reload_ms=</c>, or a timeout line and exit code 1.</summary>
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var target = options.Required("target");
        var content = await File.ReadAllBytesAsync(options.Required("source"));
        var clock = Stopwatch.StartNew();
        await File.WriteAllBytesAsync(target, content);
        return await WaitProbe.PollAsync(options, clock, "reload_ms");
    }
}

/// <summary>Polls a URL until it answers the expected status; prints how long that took.</summary>
public static class WaitProbe
{
    /// <summary>Entry point of the <c>wait</c> verb.</summary>
    public static Task<int> RunAsync(BenchArgs options) => PollAsync(options, Stopwatch.StartNew(), "wait_ms");

    internal static async Task<int> PollAsync(BenchArgs options, Stopwatch clock, string label)
    {
        var probe = options.Required("probe");
        var expect = options.Int("expect", 200);
        var timeout = TimeSpan.FromSeconds(options.Int("timeout", 60));
        // A new connection per poll: a route change must be seen by new connections, and the TLS setup may change too.
        using var client = ProbeClient.Create(options.Optional("connect"), TimeSpan.FromSeconds(5), pooled: false);
        using var deadline = new CancellationTokenSource(timeout);
        var last = 0;
        try
        {
            while (true)
            {
                last = await ProbeClient.StatusAsync(client, probe, deadline.Token);
                if (last == expect)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}={clock.Elapsed.TotalMilliseconds:F1}"));
                    return 0;
                }

                await Task.Delay(2, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine($"{label}=timeout last_status={last} after {timeout.TotalSeconds} s");
            return 1;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Ingress.Bench.Common;

namespace Ingress.Bench.Probes;

/// <summary>
/// Start-up time: starts the command, then polls the admin <c>/ready</c> and the proxied URL every 2 ms; the clock runs
/// from just before exec. Each run ends the process with SIGTERM and waits for it to exit.
/// </summary>
public static class StartupProbe
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>Runs the measurement <c>--runs</c> times and prints one line per run and a median line.</summary>
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var runs = options.Int("runs", 5);
        var admin = options.Required("admin");
        var probe = options.Required("probe");
        var timeout = TimeSpan.FromSeconds(options.Int("timeout", 60));
        if (options.Rest.Count == 0)
        {
            throw new BenchArgsException("the command to start goes after '--'");
        }

        var ready = new List<double>();
        var first = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            using var adminClient = ProbeClient.Create(null, TimeSpan.FromSeconds(2), pooled: false);
            using var probeClient = ProbeClient.Create(options.Optional("connect"), TimeSpan.FromSeconds(5), pooled: false);
            var info = new ProcessStartInfo(options.Rest[0])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var word in options.Rest.Skip(1))
            {
                info.ArgumentList.Add(word);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var deadline = new CancellationTokenSource(timeout);
                var readyMs = await PollAsync(adminClient, admin, clock, deadline.Token);
                var firstMs = await PollAsync(probeClient, probe, clock, deadline.Token);
                ready.Add(readyMs);
                first.Add(firstMs);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"startup run={run} ready_ms={readyMs:F1} first_200_ms={firstMs:F1}"));
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"startup run={run} timeout after {timeout.TotalSeconds} s (exit={(process.HasExited ? process.ExitCode : -1)})");
            }
            finally
            {
                await Signals.TerminateAsync(process, TimeSpan.FromSeconds(15));
            }
        }

        if (ready.Count == 0)
        {
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"startup median ready_ms={Median(ready):F1} first_200_ms={Median(first):F1} min_ready_ms={ready.Min():F1} max_ready_ms={ready.Max():F1} runs={ready.Count}"));
        return 0;
    }

    private static async Task<double> PollAsync(HttpClient client, string url, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await ProbeClient.StatusAsync(client, url, cancellationToken) == 200)
            {
                return clock.Elapsed.TotalMilliseconds;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

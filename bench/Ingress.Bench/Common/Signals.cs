using System.Diagnostics;

namespace Ingress.Bench.Common;

/// <summary>Stops a child process the way Kubernetes does: SIGTERM, then SIGKILL after a grace period.</summary>
public static class Signals
{
    /// <summary>Sends SIGTERM (through kill(1), which .NET has no API for) and waits; kills after the grace period.</summary>
    public static async Task TerminateAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>Runs `kubectl kustomize` (offline) and caches each overlay's rendering for the test run.</summary>
internal static class Kubectl
{
    private static readonly Lazy<string?> Executable = new(FindOnPath);
    private static readonly ConcurrentDictionary<string, Lazy<KustomizeResult>> Renders = new(StringComparer.Ordinal);

    public const string MissingMessage =
        "kubectl is not on PATH: install kubectl (1.27 or later; it renders kustomize offline) to test the deploy kit";

    public static string? Path => Executable.Value;

    /// <summary>Renders a kustomization directory; the same directory is rendered once per test run.</summary>
    public static KustomizeResult Kustomize(string directory) =>
        Renders.GetOrAdd(System.IO.Path.GetFullPath(directory), dir => new Lazy<KustomizeResult>(() => Run(dir))).Value;

    private static KustomizeResult Run(string directory)
    {
        var kubectl = Path ?? throw new InvalidOperationException(MissingMessage);
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {kubectl}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish within 60 s");
        }

        return new KustomizeResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? FindOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in new[] { "kubectl", "kubectl.exe" })
            {
                var candidate = System.IO.Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}

/// <summary>What `kubectl kustomize` printed and how it exited.</summary>
internal sealed record KustomizeResult(int ExitCode, string Output, string Error);

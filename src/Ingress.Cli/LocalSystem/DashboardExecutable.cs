using System.Runtime.InteropServices;

namespace Ingress.Cli.LocalSystem;

/// <summary>
/// The standalone Aspire Dashboard (the trace viewer): the native executable <c>tools/Aspire.Dashboard</c> of the
/// package Aspire.Dashboard.Sdk.linux-x64, which restoring the tool downloads (a PackageDownload in Ingress.Cli.csproj).
/// </summary>
public static class DashboardExecutable
{
    /// <summary>The package that carries the dashboard.</summary>
    public const string PackageId = "aspire.dashboard.sdk.linux-x64";

    /// <summary>The version the tool's project downloads.</summary>
    public const string PackageVersion = "13.6.5";

    /// <summary>The executable's path, or null with the reason in <paramref name="reason"/> (another OS, a package not restored).</summary>
    public static string? Find(out string reason)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            reason = $"the trace viewer package is built for linux-x64 only (this is {RuntimeInformation.RuntimeIdentifier})";
            return null;
        }

        var roots = new[]
        {
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            BuildInfo.NuGetPackageRoot,
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        foreach (var root in roots.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.Combine(root!, PackageId, PackageVersion, "tools", "Aspire.Dashboard");
            if (File.Exists(candidate))
            {
                if (!OperatingSystem.IsWindows())
                {
                    EnsureExecutable(candidate);
                }

                reason = string.Empty;
                return candidate;
            }
        }

        reason = $"{PackageId} {PackageVersion} is not in the NuGet package folder: run `dotnet restore src/Ingress.Cli` " +
                 "(it downloads the package), or start with --no-dashboard";
        return null;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void EnsureExecutable(string path)
    {
        // Some NuGet extractions drop the execute bit of package content.
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }
    }
}

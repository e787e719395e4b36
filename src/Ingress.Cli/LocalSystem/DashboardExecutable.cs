using System.Runtime.InteropServices;

namespace Ingress.Cli.LocalSystem;

/// <summary>
/// The standalone Aspire Dashboard (the trace viewer): the native executable <c>tools/Aspire.Dashboard</c> of the
/// package Aspire.Dashboard.Sdk.linux-x64, bundled beside a released tool, else in the NuGet package folder, where
/// restoring the tool downloads it (a PackageDownload in Ingress.Cli.csproj).
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

        // NuGet's package folder: NUGET_PACKAGES when set, else ~/.nuget/packages.
        var roots = new[]
        {
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        var candidates = roots.Where(r => !string.IsNullOrWhiteSpace(r))
            .Select(root => Path.Combine(root!, PackageId, PackageVersion, "tools", "Aspire.Dashboard"))
            .Prepend(ToolLayout.BundledDashboard);
        foreach (var candidate in candidates.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (File.Exists(candidate))
            {
                ToolLayout.EnsureExecutable(candidate);
                reason = string.Empty;
                return candidate;
            }
        }

        reason = $"{PackageId} {PackageVersion} is neither beside ingress ({ToolLayout.DashboardPath}) nor in the NuGet package " +
                 "folder: in a clone run `dotnet restore src/Ingress.Cli` (it downloads the package), or start with --no-dashboard";
        return null;
    }
}

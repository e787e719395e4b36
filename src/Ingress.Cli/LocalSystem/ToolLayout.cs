namespace Ingress.Cli.LocalSystem;

/// <summary>
/// Where this <c>ingress</c> runs from and what was installed beside it: a release archive and the .NET tool carry the
/// service (<c>service/httpserver</c>) and, on linux-x64, the trace viewer (<c>dashboard/Aspire.Dashboard</c>) next to
/// the executable, so <c>ingress up</c> needs no clone and no path of the machine that built it.
/// </summary>
public static class ToolLayout
{
    /// <summary>The bundled service, relative to the tool's folder.</summary>
    public const string ServicePath = "service/httpserver";

    /// <summary>The bundled trace viewer, relative to the tool's folder.</summary>
    public const string DashboardPath = "dashboard/Aspire.Dashboard";

    /// <summary>The bundled service's executable, or null when this ingress was not installed with one.</summary>
    public static string? BundledService => Existing(ServicePath);

    /// <summary>The bundled trace viewer's executable, or null.</summary>
    public static string? BundledDashboard => Existing(DashboardPath);

    /// <summary>
    /// The command that runs this same <c>ingress</c> again: the dotnet host with <c>ingress.dll</c> for a JIT build (the
    /// assembly sits in the tool's folder), else the native executable itself.
    /// </summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Self()
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "ingress.dll");
        if (File.Exists(assembly))
        {
            return (Executables.DotnetHost(), [assembly]);
        }

        return (Environment.ProcessPath ?? throw new LocalSystemException("the path of the running ingress is unknown"), []);
    }

    /// <summary>Gives the owner the execute bit where an extraction dropped it (NuGet's does, for package content).</summary>
    public static void EnsureExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }
    }

    private static string? Existing(string relative)
    {
        var path = Path.Combine(AppContext.BaseDirectory, relative);
        if (!File.Exists(path))
        {
            return null;
        }

        EnsureExecutable(path);
        return path;
    }
}

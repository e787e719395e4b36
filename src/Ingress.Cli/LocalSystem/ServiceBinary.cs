using System.Diagnostics;

namespace Ingress.Cli.LocalSystem;

/// <summary>
/// The service's compiled dll, run once per instance of the chain. Building the tool builds it too (a project
/// reference); when it is missing (another configuration, a cleaned folder) it is built once with <c>dotnet build</c>.
/// </summary>
public static class ServiceBinary
{
    /// <summary>The service project, relative to the clone's root.</summary>
    public const string ProjectPath = "src/HttpServer/HttpServer.csproj";

    /// <summary>Returns the dll path, building the project first when no build of it exists.</summary>
    public static string Locate(string repositoryRoot, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var recorded = BuildInfo.HttpServerDll;
        if (recorded is not null && File.Exists(recorded) && IsInside(recorded, repositoryRoot))
        {
            return recorded;
        }

        var conventional = Path.Combine(repositoryRoot, "src", "HttpServer", "bin", "Debug", "net10.0", "HttpServer.dll");
        report($"building {ProjectPath} (once) ...");
        Build(repositoryRoot);
        return File.Exists(conventional)
            ? conventional
            : throw new LocalSystemException($"`dotnet build {ProjectPath}` finished but {conventional} does not exist.");
    }

    private static bool IsInside(string path, string root) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void Build(string repositoryRoot)
    {
        var start = new ProcessStartInfo(Executables.DotnetHost())
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", ProjectPath, "--configuration", "Debug", "--nologo", "--verbosity", "quiet" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new LocalSystemException("could not start `dotnet build`");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new LocalSystemException(
                $"`dotnet build {ProjectPath}` failed (exit {process.ExitCode}):\n{stdout.Result}{stderr.Result}".TrimEnd());
        }
    }
}

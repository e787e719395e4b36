using System.Diagnostics;

namespace Ingress.Cli.LocalSystem;

/// <summary>How <c>ingress up</c> starts one instance of the service: the program, the arguments before any of its own, the folder.</summary>
public sealed record ServiceCommand(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory);

/// <summary>
/// The service, run once per instance of the chain: the executable bundled beside the tool (a release archive or the
/// .NET tool), else, in a clone, the dll the build produced (building the tool builds it too, a project reference;
/// when it is missing, another configuration or a cleaned folder, it is built once with <c>dotnet build</c>).
/// </summary>
public static class ServiceBinary
{
    /// <summary>The service project, relative to the clone's root.</summary>
    public const string ProjectPath = "src/HttpServer/HttpServer.csproj";

    /// <summary>Returns how to run the service, building it first in a clone where no build of it exists.</summary>
    public static ServiceCommand Locate(string? repositoryRoot, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (ToolLayout.BundledService is { } bundled)
        {
            return new ServiceCommand(bundled, [], Path.GetDirectoryName(bundled)!);
        }

        if (repositoryRoot is null)
        {
            throw new LocalSystemException(
                $"the service was not found: {ToolLayout.ServicePath} is missing beside {Environment.ProcessPath}. Reinstall ingress " +
                "from a release archive or as a .NET tool, or run `ingress up` inside a clone of the repository.");
        }

        var built = Path.Combine(repositoryRoot, "src", "HttpServer", "bin", BuildInfo.Configuration, "net10.0", "HttpServer.dll");
        if (!File.Exists(built))
        {
            report($"building {ProjectPath} (once) ...");
            Build(repositoryRoot, BuildInfo.Configuration);
            if (!File.Exists(built))
            {
                throw new LocalSystemException($"`dotnet build {ProjectPath}` finished but {built} does not exist.");
            }
        }

        return new ServiceCommand(Executables.DotnetHost(), [built], Path.GetDirectoryName(built)!);
    }

    private static void Build(string repositoryRoot, string configuration)
    {
        var start = new ProcessStartInfo(Executables.DotnetHost())
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", ProjectPath, "--configuration", configuration, "--nologo", "--verbosity", "quiet" })
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

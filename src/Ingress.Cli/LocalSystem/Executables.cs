namespace Ingress.Cli.LocalSystem;

/// <summary>Finds programs on PATH and the <c>dotnet</c> host that runs the repository's assemblies.</summary>
public static class Executables
{
    /// <summary>The full path of <paramref name="name"/> in a PATH folder, or null.</summary>
    public static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The <c>dotnet</c> host: the running one when this process is <c>dotnet …</c>, else the SDK's (DOTNET_HOST_PATH,
    /// set by <c>dotnet run</c> and <c>dotnet test</c>), else DOTNET_ROOT's, else the one on PATH.
    /// </summary>
    public static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return FindOnPath("dotnet")
            ?? throw new LocalSystemException("the `dotnet` host was not found: put the .NET SDK's folder on PATH or set DOTNET_ROOT.");
    }
}

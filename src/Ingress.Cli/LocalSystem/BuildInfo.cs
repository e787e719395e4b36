using System.Reflection;

namespace Ingress.Cli.LocalSystem;

/// <summary>Paths the build recorded in the tool's assembly (see Ingress.Cli.csproj): the service's dll and the NuGet package folder.</summary>
internal static class BuildInfo
{
    /// <summary>The HttpServer.dll the tool was built with, or null when the build recorded none.</summary>
    public static string? HttpServerDll => Read("Ingress.HttpServerDll");

    /// <summary>The NuGet package folder restore used, or null.</summary>
    public static string? NuGetPackageRoot => Read("Ingress.NuGetPackageRoot");

    private static string? Read(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? Path.GetFullPath(value)
            : null;
}

using System.Reflection;

namespace Ingress.Cli.LocalSystem;

/// <summary>What the build recorded in the tool's assembly (see Ingress.Cli.csproj): its configuration, no path.</summary>
internal static class BuildInfo
{
    /// <summary>The build configuration (<c>Debug</c>, <c>Release</c>) the tool was built with.</summary>
    public static string Configuration =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Ingress.BuildConfiguration")?.Value is { Length: > 0 } value
            ? value
            : "Debug";
}

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>Finds folders of the repository from a test's base directory.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root: the first ancestor holding Ingress.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/fixtures/seed: the user's manifests, verbatim.</summary>
    public static string Seed => Path.Combine(Root, "tests", "fixtures", "seed");

    /// <summary>tests/fixtures/gateway-api: the seed's routes written with the Kubernetes Gateway API.</summary>
    public static string GatewayApi => Path.Combine(Root, "tests", "fixtures", "gateway-api");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingress.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ingress.slnx not found above " + AppContext.BaseDirectory);
    }
}

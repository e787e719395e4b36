namespace Ingress.Cli.Tests.DeployKit;

/// <summary>Finds the repository root and the shared reference folder from the test's base directory.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);
    private static readonly Lazy<string?> Shared = new(FindShared);

    /// <summary>The clone's root: the first ancestor holding Ingress.slnx.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>The shared folder (seed homework, upstream schemas), or null when this checkout has none beside it.</summary>
    public static string? SharedFolder => Shared.Value;

    public static string Overlays => Path.Combine(RepositoryRoot, "deploy", "overlays");

    public static string Fixtures => Path.Combine(RepositoryRoot, "tests", "fixtures");

    public const string SharedMissingMessage =
        "needs the shared reference folder (a folder named `shared` containing seed-homework.md beside or above this " +
        "clone; CI provides it), which is absent here";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ingress.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No Ingress.slnx above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }

    private static string? FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (File.Exists(Path.Combine(candidate, "seed-homework.md")))
            {
                return candidate;
            }
        }

        return null;
    }
}

namespace Ingress.Config.Tests;

/// <summary>Finds folders of the repository from a test's base directory.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root: the first ancestor holding Ingress.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/fixtures under the repository root.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

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

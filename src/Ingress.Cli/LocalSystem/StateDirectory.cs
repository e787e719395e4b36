namespace Ingress.Cli.LocalSystem;

/// <summary>Finds the clone's root and the folder where the local system keeps its state.</summary>
public static class StateDirectory
{
    /// <summary>The file that marks the clone's root.</summary>
    public const string SolutionFile = "Ingress.slnx";

    /// <summary>The first ancestor of <paramref name="start"/> holding Ingress.slnx, or null outside a clone.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// The explicit folder when given; else <c>.local/</c> in the clone (ignored by git, next to what it belongs to);
    /// else <c>$XDG_STATE_HOME/ingress</c> (default <c>~/.local/state/ingress</c>).
    /// </summary>
    public static string Resolve(string? explicitDirectory, string? repositoryRoot)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return Path.GetFullPath(explicitDirectory);
        }

        if (repositoryRoot is not null)
        {
            return Path.Combine(repositoryRoot, ".local");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var stateHome = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state")
            : xdg;
        return Path.Combine(stateHome, "ingress");
    }

    /// <summary>A path as the user should type it: relative when it is under the current folder, else absolute.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}

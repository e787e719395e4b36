using System.Runtime.CompilerServices;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>A fact that is skipped, with the reason, when kubectl is not installed.</summary>
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        if (Kubectl.Path is null)
        {
            Skipping.Skip(this, Kubectl.MissingMessage, file, test);
        }
    }
}

/// <summary>A theory that is skipped, with the reason, when kubectl is not installed.</summary>
internal sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        if (Kubectl.Path is null)
        {
            Skipping.Skip(this, Kubectl.MissingMessage, file, test);
        }
    }
}

/// <summary>A theory that needs kubectl and the shared folder (upstream schemas), skipped with the reason otherwise.</summary>
internal sealed class KubectlAndSharedTheoryAttribute : TheoryAttribute
{
    public KubectlAndSharedTheoryAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        if (Kubectl.Path is null)
        {
            Skipping.Skip(this, Kubectl.MissingMessage, file, test);
        }
        else if (RepositoryPaths.SharedFolder is null)
        {
            Skipping.Skip(this, RepositoryPaths.SharedMissingMessage, file, test);
        }
    }
}

/// <summary>A fact that needs the shared folder (the user's homework), skipped with the reason otherwise.</summary>
internal sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute([CallerMemberName] string test = "", [CallerFilePath] string file = "")
    {
        if (RepositoryPaths.SharedFolder is null)
        {
            Skipping.Skip(this, RepositoryPaths.SharedMissingMessage, file, test);
        }
    }
}

/// <summary>
/// Skips a test with its reason in the name the runner prints ("Skipped Class.Test (skipped: reason)"): dotnet test
/// lists skipped tests at its default verbosity, but shows a skip reason only at "detailed".
/// </summary>
internal static class Skipping
{
    public static void Skip(FactAttribute test, string reason, string file, string name)
    {
        test.Skip = reason;
        test.DisplayName = $"{Path.GetFileNameWithoutExtension(file)}.{name} (skipped: {reason})";
    }
}

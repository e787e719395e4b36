namespace Ingress.Cli.Tests.DeployKit;

/// <summary>A fact that is skipped, with the reason, when kubectl is not installed.</summary>
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = Kubectl.MissingMessage;
        }
    }
}

/// <summary>A theory that is skipped, with the reason, when kubectl is not installed.</summary>
internal sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = Kubectl.MissingMessage;
        }
    }
}

/// <summary>A theory that needs kubectl and the shared folder (upstream schemas), skipped with the reason otherwise.</summary>
internal sealed class KubectlAndSharedTheoryAttribute : TheoryAttribute
{
    public KubectlAndSharedTheoryAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = Kubectl.MissingMessage;
        }
        else if (RepositoryPaths.SharedFolder is null)
        {
            Skip = RepositoryPaths.SharedMissingMessage;
        }
    }
}

/// <summary>A fact that needs the shared folder (the user's homework), skipped with the reason otherwise.</summary>
internal sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (RepositoryPaths.SharedFolder is null)
        {
            Skip = RepositoryPaths.SharedMissingMessage;
        }
    }
}

namespace Ingress.Config.Loading;

/// <summary>How the loader reads configuration.</summary>
public sealed record LoadOptions
{
    /// <summary>The namespace of documents that do not name one (as <c>kubectl apply -n</c>); cluster-scoped kinds have none.</summary>
    public string DefaultNamespace { get; init; } = "default";
}

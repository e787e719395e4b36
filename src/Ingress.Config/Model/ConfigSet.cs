namespace Ingress.Config.Model;

/// <summary>
/// Every resource loaded together (one snapshot), in file order. Immutable: a reload builds a new one.
/// </summary>
public sealed record ConfigSet
{
    public IReadOnlyList<Resource> Resources { get; init; } = [];

    public IEnumerable<T> OfType<T>() where T : Resource => Resources.OfType<T>();

    public IEnumerable<Gateway> Gateways => OfType<Gateway>();
    public IEnumerable<VirtualService> VirtualServices => OfType<VirtualService>();
    public IEnumerable<DestinationRule> DestinationRules => OfType<DestinationRule>();
    public IEnumerable<Secret> Secrets => OfType<Secret>();
    public IEnumerable<Service> Services => OfType<Service>();

    /// <summary>The resource of a kind with that namespace and name, or null.</summary>
    public T? Find<T>(string @namespace, string name) where T : Resource =>
        OfType<T>().FirstOrDefault(r => r.Metadata.Namespace == @namespace && r.Metadata.Name == name);
}

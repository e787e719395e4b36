using Ingress.Config.Model;

namespace Ingress.Config.GatewayApi;

/// <summary>
/// The ReferenceGrants of a configuration: whether an object of a kind in one namespace may refer to an object in
/// another. A grant lives in the namespace referred to; as Istio, only core Secrets and Services can be granted.
/// </summary>
public sealed class ReferenceGrants
{
    private readonly IReadOnlyList<ReferenceGrant> _grants;

    public ReferenceGrants(ConfigSet config) => _grants = config.OfType<ReferenceGrant>().ToList();

    /// <summary>
    /// Whether <paramref name="fromKind"/> (a Gateway API kind) in <paramref name="fromNamespace"/> may refer to the core
    /// object <paramref name="toKind"/> <paramref name="toNamespace"/>/<paramref name="toName"/>. The same namespace
    /// never needs a grant.
    /// </summary>
    public bool Allows(string fromKind, string fromNamespace, string toKind, string toNamespace, string toName) =>
        fromNamespace == toNamespace || _grants.Any(grant =>
            grant.Metadata.Namespace == toNamespace &&
            grant.Spec.From.Any(f => f.Group == GatewayApiPatterns.ApiGroup && f.Kind == fromKind && f.Namespace == fromNamespace) &&
            grant.Spec.To.Any(t => t.Group == "" && t.Kind == toKind && (t.Name is null || t.Name == toName)));
}

namespace Ingress.Config.Istio;

/// <summary>
/// How a VirtualService names the Gateways it binds to (<c>pilot/pkg/model/config.go: resolveGatewayName</c>), for
/// <c>spec.gateways</c> and for a match's <c>gateways</c>.
/// </summary>
/// <remarks>
/// <c>mesh</c> is the sidecars, not a Gateway. <c>ns/name</c> is taken as written, <c>./name</c> is in the
/// VirtualService's namespace. Without a slash, a name without a dot is in the VirtualService's namespace, and a dotted
/// name is the legacy FQDN form: the first label is the name and the second the namespace
/// (<c>gw.istio-system.svc.cluster.local</c> and <c>gw.istio-system</c> both mean <c>istio-system/gw</c>).
/// </remarks>
public static class GatewayReferences
{
    /// <summary>The reserved name for the sidecars of the mesh.</summary>
    public const string Mesh = "mesh";

    /// <summary>The namespace and name a reference resolves to, or null for <c>mesh</c>.</summary>
    public static (string Namespace, string Name)? Resolve(string reference, string virtualServiceNamespace)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference == Mesh)
        {
            return null;
        }

        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var ns = reference[..slash];
            return (ns == "." ? virtualServiceNamespace : ns, reference[(slash + 1)..]);
        }

        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return (virtualServiceNamespace, reference);
        }

        var rest = reference[(dot + 1)..];
        var nextDot = rest.IndexOf('.', StringComparison.Ordinal);
        return (nextDot < 0 ? rest : rest[..nextDot], reference[..dot]);
    }

    /// <summary>The reference as Istio keys it, <c>namespace/name</c>, or <c>mesh</c>.</summary>
    public static string Key(string reference, string virtualServiceNamespace) =>
        Resolve(reference, virtualServiceNamespace) is { } resolved ? $"{resolved.Namespace}/{resolved.Name}" : Mesh;
}

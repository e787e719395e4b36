namespace Ingress.Config.Analysis.Support;

/// <summary>
/// How a VirtualService names a Gateway (<c>pilot/pkg/model/config.go: resolveGatewayName</c>): <c>name</c> and
/// <c>./name</c> in the VirtualService's namespace, <c>ns/name</c> as written, the legacy <c>name.ns[.svc.cluster.local]</c>
/// as <c>ns/name</c>; <c>mesh</c> is the sidecars, not a Gateway.
/// </summary>
internal static class GatewayNames
{
    public const string Mesh = "mesh";

    /// <summary>The namespace and name a reference resolves to, or null for <c>mesh</c>.</summary>
    public static (string Namespace, string Name)? Resolve(string reference, string virtualServiceNamespace)
    {
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

        var parts = reference.Split('.');
        return parts.Length >= 2 ? (parts[1], parts[0]) : (virtualServiceNamespace, reference);
    }
}

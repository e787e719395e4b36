namespace Ingress.Config.Analysis.Support;

/// <summary>Host name rules as Istio applies them (<c>pkg/config/host/name.go</c>, <c>names.go</c>).</summary>
internal static class Hosts
{
    public const string ClusterLocalSuffix = ".svc.cluster.local";

    /// <summary>
    /// Whether two hosts overlap, wildcards included (<c>*.example.com</c> matches <c>a.example.com</c>; <c>*</c>
    /// matches everything; <c>*.example.com</c> does not match <c>example.com</c>). Case-insensitive like DNS.
    /// </summary>
    public static bool Matches(string a, string b)
    {
        var x = a.ToLowerInvariant();
        var y = b.ToLowerInvariant();
        var xWild = x.StartsWith('*');
        var yWild = y.StartsWith('*');
        if (xWild && yWild)
        {
            return x.Length < y.Length ? y[1..].EndsWith(x[1..], StringComparison.Ordinal) : x[1..].EndsWith(y[1..], StringComparison.Ordinal);
        }

        if (xWild)
        {
            return y.EndsWith(x[1..], StringComparison.Ordinal);
        }

        return yWild ? x.EndsWith(y[1..], StringComparison.Ordinal) : x == y;
    }

    /// <summary>Whether <paramref name="host"/> is covered by <paramref name="pattern"/> (every name it matches, the pattern matches).</summary>
    public static bool CoveredBy(string host, string pattern)
    {
        var h = host.ToLowerInvariant();
        var p = pattern.ToLowerInvariant();
        if (p == "*")
        {
            return true;
        }

        if (p.StartsWith('*'))
        {
            return h.EndsWith(p[1..], StringComparison.Ordinal) && (h.Length > p.Length - 1 || h.StartsWith('*'));
        }

        return h == p;
    }

    /// <summary>
    /// A short name (no dot, not a wildcard) expanded in <paramref name="ns"/>, as Istio does for VirtualService and
    /// DestinationRule hosts: <c>reviews</c> in <c>foo</c> becomes <c>reviews.foo.svc.cluster.local</c>.
    /// </summary>
    public static string ToFqdn(string host, string ns) =>
        host.StartsWith('*') || host.Contains('.', StringComparison.Ordinal) ? host : $"{host}.{ns}{ClusterLocalSuffix}";

    /// <summary>The Service a cluster-local FQDN names (<c>name.ns.svc.cluster.local</c>), or null.</summary>
    public static (string Namespace, string Name)? ServiceOf(string fqdn)
    {
        if (!fqdn.EndsWith(ClusterLocalSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parts = fqdn[..^ClusterLocalSuffix.Length].Split('.');
        return parts.Length == 2 ? (parts[1], parts[0]) : null;
    }

    /// <summary>
    /// A Gateway server host split into the namespace whose VirtualServices may bind it (null: any) and the host:
    /// <c>ns/host</c>, <c>./host</c> (the Gateway's namespace), <c>*/host</c> and bare <c>host</c> (any).
    /// </summary>
    public static (string? Namespace, string Host) SplitServerHost(string serverHost, string gatewayNamespace)
    {
        var slash = serverHost.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return (null, serverHost);
        }

        var ns = serverHost[..slash];
        var host = serverHost[(slash + 1)..];
        return ns switch
        {
            "." => (gatewayNamespace, host),
            "*" => (null, host),
            _ => (ns, host),
        };
    }
}

namespace Ingress.Config.Istio;

/// <summary>
/// Host names in Istio configuration (<c>pkg/config/host/name.go</c> and <c>names.go</c>, <c>pkg/config/model:
/// ResolveShortnameToFQDN</c>): how two configured hosts overlap, when one is contained in the other, and how a short
/// name is expanded. These compare configured names as written (Istio's validation only lets lower-case names
/// through); matching a request's Host header, which is case-insensitive, is the gateway's runtime business.
/// </summary>
public static class HostNames
{
    /// <summary>The suffix of a Kubernetes Service's name in the default cluster domain.</summary>
    public const string ClusterLocalSuffix = ".svc.cluster.local";

    /// <summary>Whether a host is a wildcard (<c>*</c> or <c>*.suffix</c>; Istio tests only the first character).</summary>
    public static bool IsWildcard(string host) => host.Length > 0 && host[0] == '*';

    /// <summary>
    /// Istio's <c>Name.Matches</c>: whether the two hosts share at least one name. Two plain names must be equal; a
    /// wildcard matches every name ending in what follows its <c>*</c> (so <c>*</c> matches everything and
    /// <c>*.example.com</c> does not match <c>example.com</c>); two wildcards match when one suffix ends the other.
    /// </summary>
    public static bool Matches(string a, string b)
    {
        var aWild = IsWildcard(a);
        var bWild = IsWildcard(b);
        if (aWild && bWild)
        {
            return a.Length < b.Length
                ? b.AsSpan(1).EndsWith(a.AsSpan(1), StringComparison.Ordinal)
                : a.AsSpan(1).EndsWith(b.AsSpan(1), StringComparison.Ordinal);
        }

        if (aWild)
        {
            return b.AsSpan().EndsWith(a.AsSpan(1), StringComparison.Ordinal);
        }

        return bWild ? a.AsSpan().EndsWith(b.AsSpan(1), StringComparison.Ordinal) : string.Equals(a, b, StringComparison.Ordinal);
    }

    /// <summary>
    /// Istio's <c>Name.SubsetOf</c>: whether every name <paramref name="host"/> stands for is also covered by
    /// <paramref name="of"/>. A wildcard is only ever a subset of a wildcard with a suffix it ends in.
    /// </summary>
    public static bool SubsetOf(string host, string of)
    {
        if (IsWildcard(host))
        {
            return IsWildcard(of) && host.AsSpan(1).EndsWith(of.AsSpan(1), StringComparison.Ordinal);
        }

        return IsWildcard(of)
            ? host.AsSpan().EndsWith(of.AsSpan(1), StringComparison.Ordinal)
            : string.Equals(host, of, StringComparison.Ordinal);
    }

    /// <summary>
    /// One pair of Istio's <c>Names.Intersection</c>: the names two hosts share, written as the more specific of the
    /// two (a gateway server <c>*.example.com</c> and a route host <c>a.example.com</c> share <c>a.example.com</c>);
    /// null when neither covers the other.
    /// </summary>
    public static string? Intersection(string a, string b) =>
        SubsetOf(a, b) ? a : SubsetOf(b, a) ? b : null;

    /// <summary>
    /// Istio's <c>ResolveShortnameToFQDN</c> for VirtualService and DestinationRule hosts: a name without a dot (not
    /// <c>*</c>, not an IP address) is a Service in the resource's namespace and becomes
    /// <c>name.namespace.svc.cluster.local</c>; anything else is kept as written.
    /// </summary>
    public static string ResolveShortName(string host, string @namespace)
    {
        if (host.Length == 0 || host == "*" || IpAddresses.IsAddress(host) || host.Contains('.', StringComparison.Ordinal))
        {
            return host;
        }

        return string.IsNullOrEmpty(@namespace) ? host : $"{host}.{@namespace}{ClusterLocalSuffix}";
    }

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
    /// A Gateway server host split into the namespace whose VirtualServices may bind it (null: any) and the host, as
    /// Istio reads <c>ns/host</c>, <c>./host</c> (the Gateway's own namespace), <c>*/host</c> and a bare <c>host</c>.
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

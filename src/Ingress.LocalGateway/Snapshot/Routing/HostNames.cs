using System.Net;

namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>Istio's host name rules: short-name expansion, wildcard subset and intersection (<c>pkg/config/host</c>).</summary>
public static class HostNames
{
    /// <summary>
    /// Expands a short name in a VirtualService or DestinationRule to <c>name.ns.svc.cluster.local</c>, as Istio's
    /// <c>ResolveShortnameToFQDN</c>; wildcards, names with a dot and IP addresses are kept.
    /// </summary>
    public static string ResolveFqdn(string host, string @namespace)
    {
        if (host.Length == 0 || host == "*" || host.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.ToLowerInvariant();
        }

        if (host.Contains('.', StringComparison.Ordinal) || IPAddress.TryParse(host, out _))
        {
            return host.ToLowerInvariant();
        }

        return $"{host}.{@namespace}.svc.cluster.local".ToLowerInvariant();
    }

    /// <summary>Whether every name <paramref name="a"/> covers is covered by <paramref name="b"/>.</summary>
    public static bool SubsetOf(string a, string b)
    {
        if (b == "*")
        {
            return true;
        }

        if (a == "*")
        {
            return false;
        }

        if (b.StartsWith('*'))
        {
            var suffix = b[1..];
            if (a.StartsWith('*'))
            {
                return a[1..].EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
            }

            return a.Length > suffix.Length && a.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
        }

        return !a.StartsWith('*') && string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The more specific of two host names when one covers the other (Istio's <c>Intersection</c>), lower-cased; null
    /// when they share no name.
    /// </summary>
    public static string? Intersect(string serverHost, string routeHost)
    {
        if (SubsetOf(routeHost, serverHost))
        {
            return routeHost.ToLowerInvariant();
        }

        if (SubsetOf(serverHost, routeHost))
        {
            return serverHost.ToLowerInvariant();
        }

        return null;
    }

    /// <summary>The host part of a Host header: the port and IPv6 brackets removed.</summary>
    public static ReadOnlySpan<char> StripPort(ReadOnlySpan<char> authority)
    {
        if (authority.Length > 0 && authority[0] == '[')
        {
            var close = authority.IndexOf(']');
            return close > 0 ? authority[..(close + 1)] : authority;
        }

        var colon = authority.LastIndexOf(':');
        return colon >= 0 ? authority[..colon] : authority;
    }

    /// <summary>Whether a name (no wildcard) matches an SNI/host pattern that may be <c>*</c> or <c>*.suffix</c>.</summary>
    public static bool MatchesPattern(ReadOnlySpan<char> name, string pattern)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith('*'))
        {
            var suffix = pattern.AsSpan(1);
            return name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
        }

        return name.Equals(pattern, StringComparison.OrdinalIgnoreCase);
    }
}

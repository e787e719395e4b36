namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>
/// Host names of requests at run time: the host part of a Host header, and a name against an SNI or server host pattern.
/// (The rules between configured names, Istio's <c>pkg/config/host</c>, are <c>Ingress.Config.Istio.HostNames</c>.)
/// </summary>
public static class HostNames
{
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

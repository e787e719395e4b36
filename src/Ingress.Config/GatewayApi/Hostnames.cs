namespace Ingress.Config.GatewayApi;

/// <summary>
/// Host names as the Gateway API compares them: <c>*.example.com</c> stands for any name ending in
/// <c>.example.com</c> (any number of labels, never <c>example.com</c> itself), <c>*</c> (or no hostname) for any name.
/// Case-insensitive like DNS. Istio applies the same suffix rule to both sides (<c>host.Name.Matches</c>).
/// </summary>
public static class Hostnames
{
    /// <summary>The hostname meaning "any": a listener or route without hostnames.</summary>
    public const string Any = "*";

    /// <summary>Whether two names (either may be a wildcard) have a name in common.</summary>
    public static bool Overlap(string a, string b) => Intersect(a, b) is not null;

    /// <summary>
    /// The names both stand for, as one name: the more specific of the two when one covers the other; null when they
    /// have nothing in common (two different exact names, or unrelated suffixes).
    /// </summary>
    public static string? Intersect(string a, string b)
    {
        var x = a.ToLowerInvariant();
        var y = b.ToLowerInvariant();
        if (Covers(x, y))
        {
            return y;
        }

        return Covers(y, x) ? x : null;
    }

    /// <summary>Whether every name <paramref name="inner"/> stands for, <paramref name="outer"/> stands for too.</summary>
    public static bool Covers(string outer, string inner)
    {
        var o = outer.ToLowerInvariant();
        var i = inner.ToLowerInvariant();
        if (o == Any || o == i)
        {
            return true;
        }

        if (!o.StartsWith("*.", StringComparison.Ordinal) || i == Any)
        {
            return false;
        }

        // *.example.com covers a.example.com, a.b.example.com and *.b.example.com, not example.com.
        var suffix = o[1..];
        return i.EndsWith(suffix, StringComparison.Ordinal) && i.Length > suffix.Length;
    }

    /// <summary>Whether a request's host (no port, no wildcard) is one of the names a hostname stands for.</summary>
    public static bool Admits(string hostname, string requestHost) => Covers(hostname, requestHost);

    /// <summary>
    /// How specific a name is, for choosing among the hostnames that admit a request: an exact name beats any
    /// wildcard, a longer wildcard suffix beats a shorter one, <c>*</c> comes last (Envoy's virtual host order).
    /// </summary>
    public static (int Exact, int Length) Specificity(string hostname) => hostname == Any
        ? (0, 0)
        : (hostname.StartsWith('*') ? 1 : 2, hostname.Length);
}

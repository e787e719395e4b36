namespace Ingress.Config.Istio;

/// <summary>
/// Routing on a verified JWT's claims (<c>pkg/jwt/routing.go: ToRoutingClaim</c>): a VirtualService header match whose
/// key starts with <c>@request.auth.claims</c> (any letter case) names a claim path instead of a header, written
/// <c>@request.auth.claims.group</c> / <c>@request.auth.claims.a.b</c> or <c>@request.auth.claims[group]</c> /
/// <c>@request.auth.claims[a][b]</c>. Anything else after the prefix (nothing, a lone <c>.</c>, <c>[]</c>) is no claim
/// route and is read as an ordinary header name.
/// </summary>
public static class JwtClaimRoutes
{
    /// <summary>The prefix of a claim route key.</summary>
    public const string Prefix = "@request.auth.claims";

    /// <summary>The claim path a header key routes on, or null when the key is not a claim route.</summary>
    public static IReadOnlyList<string>? ClaimPath(string headerKey)
    {
        ArgumentNullException.ThrowIfNull(headerKey);
        if (!headerKey.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = headerKey[Prefix.Length..];
        if (rest.Length > 1 && rest[0] == '.')
        {
            return rest[1..].Split('.');
        }

        if (rest.Length > 2 && rest[0] == '[' && rest[^1] == ']')
        {
            return rest[1..^1].Split("][");
        }

        return null;
    }

    /// <summary>Whether a header key is a claim route.</summary>
    public static bool IsClaimRoute(string headerKey) => ClaimPath(headerKey) is not null;
}

using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Snapshot.Security;

/// <summary>Matches a route's <c>@request.auth.claims</c> condition against the request's verified JWT.</summary>
public static class ClaimMatch
{
    /// <summary>
    /// True when the request carries a verified JWT whose claim at <paramref name="path"/> has a value that
    /// <paramref name="match"/> accepts (or any value when <paramref name="presence"/> is set). No token, no match.
    /// </summary>
    public static bool Matches(VerifiedJwt? jwt, IReadOnlyList<string> path, bool presence, Func<string, bool> match)
    {
        if (jwt is null)
        {
            return false;
        }

        var values = JwtClaims.Values(jwt.Payload, path);
        return presence ? values.Count > 0 : values.Any(match);
    }
}

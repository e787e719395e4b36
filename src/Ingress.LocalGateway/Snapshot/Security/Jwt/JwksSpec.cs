using System.Net;
using Microsoft.IdentityModel.Tokens;

namespace Ingress.LocalGateway.Snapshot.Security.Jwt;

/// <summary>Where a JWT issuer's public keys come from, as compiled from a <c>jwtRules</c> entry.</summary>
public sealed record JwksSpec
{
    private JwksSpec(JwksSpecKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public JwksSpecKind Kind { get; }

    /// <summary>The JWKS document (<see cref="JwksSpecKind.Inline"/>), or the URI as written.</summary>
    public string Value { get; }

    /// <summary>Keys given inline in the rule (<c>jwks</c>), already checked to parse.</summary>
    public static JwksSpec Inline(string json) => new(JwksSpecKind.Inline, json);

    /// <summary>Keys fetched from a loopback http(s) URI or a file, refreshed while serving.</summary>
    public static JwksSpec Remote(Uri uri) => new(JwksSpecKind.Remote, uri.ToString());

    /// <summary>Keys a local run cannot fetch (a jwksUri off this machine): every token of the issuer fails.</summary>
    public static JwksSpec Unavailable(string uri) => new(JwksSpecKind.Unavailable, uri);

    /// <summary>Parses a JWKS document; throws <see cref="FormatException"/> with the reason when it is not one.</summary>
    public static IReadOnlyList<JsonWebKey> ParseKeys(string json)
    {
        try
        {
            var set = new JsonWebKeySet(json);
            return [.. set.Keys];
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new FormatException("not a JSON Web Key Set: " + e.Message, e);
        }
    }

    /// <summary>Whether a URI may be fetched in a local run: http(s) on a loopback host, or a file.</summary>
    public static bool IsLocallyReachable(Uri uri) =>
        uri.IsFile || ((uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))));

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        JwksSpecKind.Inline => "inline jwks",
        JwksSpecKind.Remote => Value,
        _ => Value + " (not reachable in a local run)",
    };
}

/// <summary>The kinds of <see cref="JwksSpec"/>.</summary>
public enum JwksSpecKind
{
    Inline,
    Remote,
    Unavailable,
}

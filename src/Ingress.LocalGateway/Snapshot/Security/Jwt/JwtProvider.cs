namespace Ingress.LocalGateway.Snapshot.Security.Jwt;

/// <summary>One <c>jwtRules</c> entry as compiled (an Envoy jwt_authn provider): the runtime verifies tokens with it.</summary>
public sealed record JwtProvider
{
    /// <summary>Envoy's provider name (<c>origins-N</c> in Istio's generated config).</summary>
    public required string Name { get; init; }
    public required string Issuer { get; init; }
    public IReadOnlyList<string> Audiences { get; init; } = [];
    public required JwksSpec Keys { get; init; }

    /// <summary>Headers the token is read from, with the value prefix (default <c>Authorization</c> / <c>Bearer </c>).</summary>
    public IReadOnlyList<(string Name, string Prefix)> FromHeaders { get; init; } = [];
    public IReadOnlyList<string> FromParams { get; init; } = [];
    public IReadOnlyList<string> FromCookies { get; init; } = [];

    /// <summary>Whether the token is forwarded upstream (<c>forwardOriginalToken</c>); by default its header is removed.</summary>
    public bool Forward { get; init; }

    /// <summary>The header that carries the base64url payload upstream (<c>outputPayloadToHeader</c>), or null.</summary>
    public string? PayloadHeader { get; init; }

    public IReadOnlyList<(string Header, string Claim)> ClaimHeaders { get; init; } = [];

    /// <summary>The header locations in effect: the configured ones, or Envoy's default when no location is set.</summary>
    public IReadOnlyList<(string Name, string Prefix)> EffectiveHeaders =>
        FromHeaders.Count == 0 && FromParams.Count == 0 && FromCookies.Count == 0
            ? [("authorization", "Bearer ")]
            : FromHeaders;

    /// <summary>The query parameters in effect: the configured ones, or <c>access_token</c> when no location is set.</summary>
    public IReadOnlyList<string> EffectiveParams =>
        FromHeaders.Count == 0 && FromParams.Count == 0 && FromCookies.Count == 0 ? ["access_token"] : FromParams;
}

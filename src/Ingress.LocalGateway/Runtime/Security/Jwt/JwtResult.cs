using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Runtime.Security.Jwt;

/// <summary>The outcome of JWT authentication for one request and the header changes it makes upstream.</summary>
public sealed record JwtResult
{
    /// <summary>Null when the request may go on; else Envoy's failure text (the 401/403 body).</summary>
    public string? Failure { get; init; }

    /// <summary>The verified token, or null when none was presented (or it failed).</summary>
    public VerifiedJwt? Jwt { get; init; }

    /// <summary>Headers to remove before forwarding (a consumed token, spoofed output headers).</summary>
    public IReadOnlyList<string> RemoveHeaders { get; init; } = [];

    /// <summary>Headers to add before forwarding (<c>outputPayloadToHeader</c>, <c>outputClaimToHeaders</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AddHeaders { get; init; } = [];

    /// <summary>Query parameters a consumed token was read from, to remove before forwarding.</summary>
    public IReadOnlyList<string> RemoveQueryParameters { get; init; } = [];

    public static JwtResult Pass { get; } = new();
}

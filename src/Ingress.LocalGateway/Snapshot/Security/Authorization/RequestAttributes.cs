using System.Net;
using System.Text.Json;

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>
/// What an authorization decision can look at for one request: who the peer is (its certificate and address), the
/// original client address, where the request went, what it asks for, and the verified JWT if any.
/// </summary>
public sealed record RequestAttributes
{
    /// <summary>The identity in the peer's verified certificate, or null for plain text or no client certificate.</summary>
    public PeerIdentity? Peer { get; init; }

    /// <summary>The address of the connection's peer (<c>source.ip</c>, <c>ipBlocks</c>).</summary>
    public required IPAddress PeerIp { get; init; }

    /// <summary>The original client address after <c>X-Forwarded-For</c> processing (<c>remote.ip</c>, <c>remoteIpBlocks</c>).</summary>
    public required IPAddress RemoteIp { get; init; }

    /// <summary>The local address the connection arrived on (<c>destination.ip</c>).</summary>
    public IPAddress? DestinationIp { get; init; }

    /// <summary>The port the workload listens on, as Envoy sees it (<c>destination.port</c>, <c>ports</c>).</summary>
    public int DestinationPort { get; init; }

    /// <summary>The Host header (<c>:authority</c>) as sent, port included.</summary>
    public string Host { get; init; } = "";

    public string Method { get; init; } = "GET";

    /// <summary>The normalized path without its query (what Envoy's RBAC path matcher sees).</summary>
    public string Path { get; init; } = "/";

    /// <summary>Request headers by lower-case name; several values of one header are joined with a comma.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The TLS server name the client sent, or null.</summary>
    public string? Sni { get; init; }

    /// <summary>The verified JWT of the request, or null when none was presented.</summary>
    public VerifiedJwt? Jwt { get; init; }
}

/// <summary>A JWT that passed verification: its issuer, subject and payload.</summary>
public sealed record VerifiedJwt
{
    public required string Issuer { get; init; }
    public required string Subject { get; init; }

    /// <summary>The decoded payload (a JSON object).</summary>
    public required JsonElement Payload { get; init; }

    /// <summary><c>iss/sub</c>: the request principal Istio derives from a token.</summary>
    public string Principal => Issuer + "/" + Subject;
}

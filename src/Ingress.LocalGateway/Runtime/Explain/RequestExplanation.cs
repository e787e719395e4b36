namespace Ingress.LocalGateway.Runtime.Explain;

/// <summary>
/// The record of what the gateway decides for one request, step by step, as <see cref="RequestExplainer"/> observed
/// the stages deciding it. A step the request did not reach is null (or empty).
/// </summary>
public sealed record RequestExplanation
{
    public required ExplainRequest Request { get; init; }
    public required ListenerStep Listener { get; init; }
    public NormalizationStep? Normalization { get; init; }
    public SecurityStep? Security { get; init; }
    public VirtualHostStep? VirtualHost { get; init; }

    /// <summary>The routes of the virtual host, in the order they are tried.</summary>
    public IReadOnlyList<RouteStep> Routes { get; init; } = [];

    public ActionStep? Action { get; init; }
    public required OutcomeStep Outcome { get; init; }
}

/// <summary>The listener of the port and, on an HTTPS port, the server the SNI chose and its certificate.</summary>
public sealed record ListenerStep
{
    public required int Port { get; init; }

    /// <summary><c>HTTP</c> or <c>HTTPS</c>, or null when nothing listens on the port.</summary>
    public string? Protocol { get; init; }

    /// <summary>Where the port listens locally (<c>127.0.0.1:8443</c>), or null.</summary>
    public string? Address { get; init; }

    /// <summary>The Gateway ports of the config (to name when the port is not one).</summary>
    public IReadOnlyList<int> Ports { get; init; } = [];

    /// <summary>The SNI sent, or null.</summary>
    public string? Sni { get; init; }

    /// <summary>The HTTPS servers of the port, in order.</summary>
    public IReadOnlyList<TlsServerInfo> Servers { get; init; } = [];

    /// <summary>The server the SNI chose, or null.</summary>
    public TlsServerInfo? Server { get; init; }

    /// <summary>The server host that matched the SNI (<c>*</c>, <c>*.suffix</c> or the name), or null.</summary>
    public string? MatchedHost { get; init; }

    /// <summary>Why the connection or its handshake is refused, or null.</summary>
    public string? Refusal { get; init; }
}

/// <summary>One HTTPS server of a Gateway port: its hosts and TLS setup.</summary>
public sealed record TlsServerInfo
{
    /// <summary>The Gateway (<c>ns/name</c>) and server index it came from.</summary>
    public required string Source { get; init; }

    public required IReadOnlyList<string> Hosts { get; init; }

    /// <summary>SIMPLE, MUTUAL or OPTIONAL_MUTUAL.</summary>
    public required string Mode { get; init; }

    /// <summary>Where the certificate comes from (<c>secret istio-system/name</c> or a file).</summary>
    public required string Credential { get; init; }

    /// <summary>The certificate's subject and expiry, or null when it could not be loaded.</summary>
    public string? Certificate { get; init; }

    /// <summary>Why the credential cannot be used, or null.</summary>
    public string? CredentialFailure { get; init; }
}

/// <summary>The request target before and after the mesh's path normalization.</summary>
public sealed record NormalizationStep
{
    /// <summary>MeshConfig <c>pathNormalization</c> (BASE, NONE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES).</summary>
    public required string Mode { get; init; }

    public required string Received { get; init; }

    /// <summary>The path and query every later step sees.</summary>
    public required string Normalized { get; init; }

    /// <summary>Why the request is refused before any route is looked at (bad method, framing, path), or null.</summary>
    public string? Refusal { get; init; }
}

/// <summary>The virtual host the Host header chose, and how.</summary>
public sealed record VirtualHostStep
{
    /// <summary>The route configuration looked in (<c>http.80</c>, <c>https.443.…</c>).</summary>
    public required string RouteTable { get; init; }

    /// <summary>The Host header as sent.</summary>
    public required string Authority { get; init; }

    /// <summary>The domains of the table, in the order they were built.</summary>
    public required IReadOnlyList<string> Domains { get; init; }

    /// <summary>The domain chosen, or null.</summary>
    public string? Chosen { get; init; }

    /// <summary><c>exact</c>, <c>wildcard</c>, <c>any</c> or <c>none</c>.</summary>
    public required string Match { get; init; }

    /// <summary>Whether the host answers every plain-HTTP request with a 301 to https (<c>tls.httpsRedirect</c>).</summary>
    public bool HttpsRedirect { get; init; }
}

/// <summary>One route of the virtual host as it was tried.</summary>
public sealed record RouteStep
{
    /// <summary>Its position in the virtual host (0-based), which is the order routes are tried.</summary>
    public required int Index { get; init; }

    /// <summary>The route name (<c>http.name</c> / <c>match.name</c>), may be empty.</summary>
    public required string Name { get; init; }

    /// <summary>The VirtualService and rule/match it came from.</summary>
    public required string Source { get; init; }

    /// <summary>Its conditions, each as <c>uri exact /test/hello</c>.</summary>
    public required IReadOnlyList<string> Conditions { get; init; }

    /// <summary><c>matched</c>, <c>no match</c>, <c>not tried</c> (an earlier route matched) or <c>shadowed</c>.</summary>
    public required string Result { get; init; }

    /// <summary>The first condition that failed (<c>uri exact /test/hello</c>), or null.</summary>
    public string? FailedCondition { get; init; }

    /// <summary>What the request had for that condition (<c>/test/hello/</c>), or null.</summary>
    public string? Actual { get; init; }

    /// <summary>The earlier catch-all route that takes every request this one could match, or null.</summary>
    public string? ShadowedBy { get; init; }
}

/// <summary>What the chosen route does with the request.</summary>
public sealed record ActionStep
{
    /// <summary><c>forward</c>, <c>redirect</c> or <c>direct_response</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The redirect's Location for this request, or null.</summary>
    public string? RedirectLocation { get; init; }

    public int? Status { get; init; }

    /// <summary>The destinations with their weights (one, weight 100, when unweighted).</summary>
    public IReadOnlyList<DestinationInfo> Destinations { get; init; } = [];

    /// <summary>The path and query sent upstream, or null when the route does not forward.</summary>
    public string? ForwardedPath { get; init; }

    /// <summary>Whether the path was rewritten.</summary>
    public bool PathRewritten { get; init; }

    /// <summary>The Host sent upstream, or null.</summary>
    public string? ForwardedAuthority { get; init; }

    /// <summary>Whether the authority was rewritten.</summary>
    public bool AuthorityRewritten { get; init; }

    /// <summary>Request header operations (<c>set x: 1</c>, <c>add x: 1</c>, <c>remove x</c>), route then destination.</summary>
    public IReadOnlyList<string> RequestHeaderOperations { get; init; } = [];

    /// <summary>Response header operations.</summary>
    public IReadOnlyList<string> ResponseHeaderOperations { get; init; } = [];

    /// <summary>The route timeout (<c>10s</c>), or null for none.</summary>
    public string? Timeout { get; init; }

    /// <summary>The retry policy (<c>2 retries on …</c>), or null for none.</summary>
    public string? Retries { get; init; }

    /// <summary>The fault injected (<c>abort 503 for 100% of requests</c>), or null.</summary>
    public string? Fault { get; init; }

    /// <summary>Where copies of the request go (<c>host:port 100%</c>).</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = [];

    /// <summary>Whether the route has a CORS policy.</summary>
    public bool Cors { get; init; }
}

/// <summary>One destination of a route.</summary>
public sealed record DestinationInfo
{
    /// <summary><c>outbound|port|subset|host</c>.</summary>
    public required string Cluster { get; init; }

    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? Subset { get; init; }
    public required int Weight { get; init; }

    /// <summary>Whether the cluster exists (an unknown host or subset is 503 NC).</summary>
    public required bool Known { get; init; }

    /// <summary>Its endpoints (<c>127.0.0.1:5080</c>).</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }
}

/// <summary>RequestAuthentication then AuthorizationPolicy, in Envoy's filter order (before routing).</summary>
public sealed record SecurityStep
{
    /// <summary>The issuers of the RequestAuthentications that apply, in order.</summary>
    public required IReadOnlyList<string> JwtIssuers { get; init; }

    /// <summary>
    /// <c>none</c> (no RequestAuthentication), <c>no token</c>, <c>verified</c> or <c>refused</c>.
    /// </summary>
    public required string JwtVerdict { get; init; }

    /// <summary>The verified token's principal (<c>iss/sub</c>), or Envoy's refusal text.</summary>
    public string? JwtDetail { get; init; }

    /// <summary>Every enforced policy in Istio's order (CUSTOM, DENY, ALLOW) with what it did.</summary>
    public IReadOnlyList<PolicyStep> Policies { get; init; } = [];

    /// <summary><c>allowed</c>, <c>denied</c>, or null when authorization did not run.</summary>
    public string? Decision { get; init; }

    /// <summary>Why it was decided so (<c>DENY istio-system/deny-admin rule[0] matched</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>What the dry-run policies would have done.</summary>
    public IReadOnlyList<string> DryRun { get; init; } = [];
}

/// <summary>One AuthorizationPolicy as evaluated for the request.</summary>
public sealed record PolicyStep
{
    /// <summary>DENY or ALLOW.</summary>
    public required string Action { get; init; }

    /// <summary><c>namespace/name</c>.</summary>
    public required string Policy { get; init; }

    /// <summary><c>matched</c>, <c>no match</c> or <c>not evaluated</c> (an earlier policy decided).</summary>
    public required string Result { get; init; }

    /// <summary>The rule that matched (<c>rule[0]</c>), or null.</summary>
    public string? Rule { get; init; }
}

/// <summary>The end of the request: refused connection, local reply, or the request the backend receives.</summary>
public sealed record OutcomeStep
{
    /// <summary><c>forwarded</c>, <c>local_reply</c> or <c>connection_refused</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The local reply's status, or null.</summary>
    public int? Status { get; init; }

    /// <summary>The local reply's body, or null.</summary>
    public string? Body { get; init; }

    /// <summary>The local reply's Location, or null.</summary>
    public string? Location { get; init; }

    /// <summary>Envoy's response flags (<c>NR</c>), or null.</summary>
    public string? ResponseFlags { get; init; }

    /// <summary>Envoy's <c>%RESPONSE_CODE_DETAILS%</c>, or null.</summary>
    public string? Details { get; init; }

    /// <summary>Why the connection is refused, or null.</summary>
    public string? Refusal { get; init; }

    /// <summary>The request exactly as the backend receives it, or null.</summary>
    public ForwardedRequest? Forwarded { get; init; }
}

/// <summary>The request a backend receives.</summary>
public sealed record ForwardedRequest
{
    public required string Method { get; init; }
    public required string PathAndQuery { get; init; }
    public required string Host { get; init; }

    /// <summary>The headers sent (Host excepted), in order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>The headers the gateway added or changed (names, lower case).</summary>
    public required IReadOnlyList<string> Added { get; init; }

    /// <summary>The client's headers the gateway removed (names, lower case).</summary>
    public required IReadOnlyList<string> Removed { get; init; }

    public required string Cluster { get; init; }

    /// <summary>The endpoint the attempt goes to (<c>127.0.0.1:5080</c>).</summary>
    public required string Endpoint { get; init; }

    /// <summary>How many endpoints the cluster has (the balancer picks among them).</summary>
    public required int EndpointCount { get; init; }
}

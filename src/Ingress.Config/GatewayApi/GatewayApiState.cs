using Ingress.Config.Model;

namespace Ingress.Config.GatewayApi;

/// <summary>
/// What a Gateway API controller computes from the configuration, as Istio's does: every Gateway with its listeners,
/// the routes attached to each listener by hostname in the order they are tried, and the status conditions of the
/// Gateways and routes. Produced by <see cref="GatewayApiResolver"/>; read by the analyzers, <c>ingress routes</c> and
/// the local gateway's compile step.
/// </summary>
public sealed record GatewayApiState
{
    /// <summary>An empty state (no Gateway API objects).</summary>
    public static GatewayApiState Empty { get; } = new();

    /// <summary>Every Gateway of the configuration, in file order; <see cref="ResolvedGateway.Served"/> tells ours apart.</summary>
    public IReadOnlyList<ResolvedGateway> Gateways { get; init; } = [];

    /// <summary>Every HTTPRoute and GRPCRoute, with the status of each parent reference.</summary>
    public IReadOnlyList<RouteStatus> Routes { get; init; } = [];
}

/// <summary>A Gateway, its class and listeners, and its own conditions.</summary>
public sealed record ResolvedGateway
{
    public required KubernetesGateway Source { get; init; }

    /// <summary>Whether Istio's controller (<c>istio.io/gateway-controller</c>) implements its class.</summary>
    public bool Served { get; init; }

    /// <summary>Why the Gateway is left to another controller, or null when it is served.</summary>
    public string? NotServedReason { get; init; }

    /// <summary>The Gateway's conditions (Accepted, Programmed); empty for a Gateway that is not served.</summary>
    public IReadOnlyList<StatusCondition> Conditions { get; init; } = [];

    public IReadOnlyList<ResolvedListener> Listeners { get; init; } = [];

    /// <summary><c>namespace/name</c>.</summary>
    public string Key => $"{Source.Metadata.Namespace}/{Source.Metadata.Name}";
}

/// <summary>One listener: where it listens, its certificates, its conditions and the routes attached to it.</summary>
public sealed record ResolvedListener
{
    public required string Name { get; init; }

    /// <summary>The listener's position in <c>spec.listeners</c>.</summary>
    public int Index { get; init; }

    /// <summary>The port as written (the Gateway's Service port; the local gateway maps it like an Istio server port).</summary>
    public int Port { get; init; }

    public required string Protocol { get; init; }

    /// <summary>The listener's hostname, or <c>*</c> when it has none.</summary>
    public string Hostname { get; init; } = Hostnames.Any;

    /// <summary>The Secrets holding its certificates (a TLS listener), in the order written; the usable ones only.</summary>
    public IReadOnlyList<(string Namespace, string Name)> Certificates { get; init; } = [];

    /// <summary>Whether the listener is served: a supported protocol, and for HTTPS a usable certificate.</summary>
    public bool Serves { get; init; }

    public IReadOnlyList<StatusCondition> Conditions { get; init; } = [];

    /// <summary>The route kinds the listener accepts (<c>status.listeners[].supportedKinds</c>).</summary>
    public IReadOnlyList<string> SupportedKinds { get; init; } = [];

    /// <summary>How many routes are attached (<c>status.listeners[].attachedRoutes</c>).</summary>
    public int AttachedRoutes { get; init; }

    /// <summary>The attached routes by hostname, most specific hostname first, each with its rules in match order.</summary>
    public IReadOnlyList<ResolvedVirtualHost> VirtualHosts { get; init; } = [];

    public string FieldPath => $"spec.listeners[{Index}]";
}

/// <summary>The rules that serve one hostname of a listener, in the order a request is matched against them.</summary>
public sealed record ResolvedVirtualHost(string Hostname, IReadOnlyList<ResolvedRule> Rules);

/// <summary>
/// One match of one route rule (a rule with several matches becomes one entry per match, as Istio splits them), with
/// everything the rule does to a request it matches.
/// </summary>
public sealed record ResolvedRule
{
    public required RouteResource Route { get; init; }
    public int RuleIndex { get; init; }

    /// <summary>The match's position in the rule's <c>matches</c>, or null for a rule without matches.</summary>
    public int? MatchIndex { get; init; }

    /// <summary>The rule's <c>name</c>, or Istio's generated <c>namespace.name.index</c>.</summary>
    public required string Name { get; init; }

    public required RouteMatch Match { get; init; }
    public RuleActions Actions { get; init; } = RuleActions.None;

    /// <summary><c>spec.rules[i].matches[j]</c> (or <c>spec.rules[i]</c>), for findings.</summary>
    public string FieldPath => MatchIndex is { } j ? $"spec.rules[{RuleIndex}].matches[{j}]" : $"spec.rules[{RuleIndex}]";

    /// <summary><c>Kind namespace/name rule i</c>, for messages.</summary>
    public string Display => $"{Route.DisplayName} rule {RuleIndex}" + (MatchIndex is { } m && m > 0 ? $" match {m}" : "");
}

/// <summary>How a rule matches a path.</summary>
public enum PathMatchKind
{
    /// <summary>No path condition (a gRPC match without a method, a rule without matches).</summary>
    Any,

    /// <summary>The whole path, exactly.</summary>
    Exact,

    /// <summary>
    /// The path equals the prefix or continues it with <c>/</c>: by path segment, a trailing <c>/</c> of the prefix
    /// ignored (Envoy's <c>path_separated_prefix</c>, which Istio uses for Gateway API routes).
    /// </summary>
    Prefix,

    /// <summary>An RE2 regular expression the whole path matches.</summary>
    RegularExpression,
}

/// <summary>A header or query parameter condition: the value exactly, or an RE2 expression it matches whole.</summary>
public sealed record NamedValueMatch(string Name, bool Regex, string Value);

/// <summary>The conditions of one match, ANDed.</summary>
public sealed record RouteMatch
{
    /// <summary>A match that takes every request.</summary>
    public static RouteMatch All { get; } = new();

    public PathMatchKind PathKind { get; init; } = PathMatchKind.Any;

    /// <summary>
    /// The path, prefix or expression; an HTTPRoute prefix is stored without its trailing <c>/</c> (except <c>/</c>), a
    /// GRPCRoute service prefix with it (<c>/pkg.Service/</c>), as Istio writes them: their length orders the rules.
    /// </summary>
    public string Path { get; init; } = "";

    /// <summary>The HTTP method, or null for any.</summary>
    public string? Method { get; init; }

    public IReadOnlyList<NamedValueMatch> Headers { get; init; } = [];
    public IReadOnlyList<NamedValueMatch> QueryParams { get; init; } = [];

    /// <summary>Whether the rule had no match at all (Istio puts such rules after every rule with a match).</summary>
    public bool MatchesNothingInParticular { get; init; }
}

/// <summary>Header operations of a filter (names lower-cased; the first of two equal names wins, as Istio does).</summary>
public sealed record HeaderChanges
{
    public IReadOnlyList<KeyValuePair<string, string>> Set { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Add { get; init; } = [];
    public IReadOnlyList<string> Remove { get; init; } = [];
}

/// <summary>How a redirect or rewrite changes the path.</summary>
public enum PathChangeKind
{
    /// <summary>The whole path becomes <see cref="PathChange.Value"/> (the query is kept).</summary>
    ReplaceFullPath,

    /// <summary>The part the PathPrefix match took (<see cref="PathChange.MatchedPrefix"/>) becomes the value.</summary>
    ReplacePrefixMatch,
}

/// <summary>A path change with what it needs to apply it.</summary>
public sealed record PathChange(PathChangeKind Kind, string Value, string MatchedPrefix);

/// <summary>
/// How a redirect picks its port: as written, the scheme's default (omitted from the URL), or the port the request
/// came in on (Istio: the listener's port). Istio's choice when none is written: the scheme's default when the
/// filter sets a scheme, else the request's port.
/// </summary>
public enum RedirectPortKind
{
    Explicit,
    SchemeDefault,
    RequestPort,
}

/// <summary>The RequestRedirect filter, resolved.</summary>
public sealed record RouteRedirect
{
    public string? Scheme { get; init; }
    public string? Hostname { get; init; }
    public RedirectPortKind PortKind { get; init; }
    public int? Port { get; init; }
    public PathChange? Path { get; init; }
    public int StatusCode { get; init; } = 302;
}

/// <summary>The URLRewrite filter, resolved.</summary>
public sealed record RouteRewrite(string? Hostname, PathChange? Path);

/// <summary>A mirror target and the share of requests copied to it (0–100).</summary>
public sealed record RouteMirror(ResolvedBackend Backend, double Percent);

/// <summary>Everything a rule does to a request it matches.</summary>
public sealed record RuleActions
{
    public static RuleActions None { get; } = new();

    public HeaderChanges? RequestHeaders { get; init; }
    public HeaderChanges? ResponseHeaders { get; init; }
    public RouteRedirect? Redirect { get; init; }
    public RouteRewrite? Rewrite { get; init; }
    public IReadOnlyList<RouteMirror> Mirrors { get; init; } = [];
    public HttpCorsFilter? Cors { get; init; }

    /// <summary>The backends, each with its weight (only those with a weight above 0).</summary>
    public IReadOnlyList<ResolvedBackend> Backends { get; init; } = [];

    /// <summary>A status answered without forwarding (500 when no backend has a weight above 0), or null.</summary>
    public int? DirectStatus { get; init; }

    /// <summary>
    /// The route timeout: <c>timeouts.backendRequest</c> when set, else <c>timeouts.request</c> (Istio uses the backend
    /// timeout as the route's when no retry is configured); null for none.
    /// </summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// A backend reference, resolved: the Service it names (its cluster-local host and port), or why it does not resolve
/// (its share of the requests is then answered with 500, as Istio does).
/// </summary>
public sealed record ResolvedBackend
{
    public required string Group { get; init; }
    public required string Kind { get; init; }
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public int? Port { get; init; }
    public int Weight { get; init; } = 1;

    /// <summary><c>name.namespace.svc.cluster.local</c> for a Service; empty when the reference does not resolve.</summary>
    public string Host { get; init; } = "";

    /// <summary>Why the reference does not resolve (a <see cref="StatusCondition"/> with a reason), or null.</summary>
    public StatusCondition? Problem { get; init; }

    public HeaderChanges? RequestHeaders { get; init; }
    public HeaderChanges? ResponseHeaders { get; init; }

    /// <summary>Where the reference is written (<c>spec.rules[i].backendRefs[j]</c>).</summary>
    public required string FieldPath { get; init; }

    public bool Resolves => Problem is null;
}

/// <summary>A route and the status of each of its parent references.</summary>
public sealed record RouteStatus
{
    public required RouteResource Route { get; init; }

    /// <summary>One entry per parent reference of a Gateway that is served here (in <c>spec.parentRefs</c> order).</summary>
    public IReadOnlyList<ParentStatus> Parents { get; init; } = [];

    /// <summary>Every reference of the route that does not resolve, each at its field (the status names only one).</summary>
    public IReadOnlyList<StatusCondition> RefProblems { get; init; } = [];
}

/// <summary>The status of one parent reference: Accepted and ResolvedRefs.</summary>
public sealed record ParentStatus(int Index, ParentReference Reference, IReadOnlyList<StatusCondition> Conditions)
{
    public string FieldPath => $"spec.parentRefs[{Index}]";
}


namespace Ingress.Config.Model;

/// <summary>networking.istio.io VirtualService: the routing rules for a set of hosts.</summary>
public sealed record VirtualService : Resource
{
    public VirtualServiceSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="VirtualService"/>.</summary>
public sealed record VirtualServiceSpec
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public IReadOnlyList<HttpRoute> Http { get; init; } = [];
    public IReadOnlyList<TlsRoute> Tls { get; init; } = [];
    public IReadOnlyList<TcpRoute> Tcp { get; init; } = [];
    public IReadOnlyList<string> ExportTo { get; init; } = [];
}

/// <summary>One HTTP rule: its matches (OR-ed) and what to do with a request that matches.</summary>
public sealed record HttpRoute
{
    public string? Name { get; init; }
    public IReadOnlyList<HttpMatchRequest> Match { get; init; } = [];
    public IReadOnlyList<HttpRouteDestination> Route { get; init; } = [];
    public HttpRedirect? Redirect { get; init; }
    public HttpDirectResponse? DirectResponse { get; init; }
    public DelegateReference? Delegate { get; init; }
    public HttpRewrite? Rewrite { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? Timeout { get; init; }
    public HttpRetry? Retries { get; init; }
    public HttpFaultInjection? Fault { get; init; }
    public Destination? Mirror { get; init; }
    public IReadOnlyList<HttpMirrorPolicy> Mirrors { get; init; } = [];
    [Range(0, 4294967295)]
    public int? MirrorPercent { get; init; }

    /// <summary>The legacy snake_case spelling of <see cref="MirrorPercent"/>, still in the schema.</summary>
    [YamlField("mirror_percent")]
    [Range(0, 4294967295)]
    public int? MirrorPercentLegacy { get; init; }

    public Percent? MirrorPercentage { get; init; }
    public CorsPolicy? CorsPolicy { get; init; }
    public Headers? Headers { get; init; }
}

/// <summary>The conditions of one match block; all of them must hold (AND).</summary>
public sealed record HttpMatchRequest
{
    public string? Name { get; init; }
    public StringMatch? Uri { get; init; }
    public StringMatch? Scheme { get; init; }
    public StringMatch? Method { get; init; }
    public StringMatch? Authority { get; init; }
    public IReadOnlyDictionary<string, StringMatch> Headers { get; init; } = Empty.Map<StringMatch>();
    [Range(0, 4294967295)]
    public int? Port { get; init; }
    public IReadOnlyDictionary<string, string> SourceLabels { get; init; } = Empty.Map<string>();
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public IReadOnlyDictionary<string, StringMatch> QueryParams { get; init; } = Empty.Map<StringMatch>();
    public bool? IgnoreUriCase { get; init; }
    public IReadOnlyDictionary<string, StringMatch> WithoutHeaders { get; init; } = Empty.Map<StringMatch>();
    public string? SourceNamespace { get; init; }
    public string? StatPrefix { get; init; }
}

/// <summary>A string matcher: exactly one of exact, prefix or regex (RE2). All empty means "present".</summary>
[AtMostOneOf("exact", "prefix", "regex")]
public sealed record StringMatch
{
    public string? Exact { get; init; }
    public string? Prefix { get; init; }
    public string? Regex { get; init; }
}

/// <summary>A weighted destination of a route, with its own header operations.</summary>
public sealed record HttpRouteDestination
{
    [Required]
    public Destination? Destination { get; init; }
    public int? Weight { get; init; }
    public Headers? Headers { get; init; }
}

/// <summary>A service (host), optional subset and port that traffic goes to.</summary>
public sealed record Destination
{
    [Required]
    public string? Host { get; init; }
    public string? Subset { get; init; }
    public PortSelector? Port { get; init; }
}

/// <summary>A destination port by number.</summary>
public sealed record PortSelector
{
    [Range(0, 4294967295)]
    public int? Number { get; init; }
}

/// <summary>An HTTP redirect answered by the gateway.</summary>
[AtMostOneOf("port", "derivePort")]
public sealed record HttpRedirect
{
    public string? Uri { get; init; }
    public string? Authority { get; init; }
    [Range(0, 4294967295)]
    public int? Port { get; init; }
    [OneOf("FROM_PROTOCOL_DEFAULT", "FROM_REQUEST_PORT")]
    public string? DerivePort { get; init; }
    public string? Scheme { get; init; }
    [Range(0, 4294967295)]
    public int? RedirectCode { get; init; }
    public string? PrefixRewrite { get; init; }
}

/// <summary>A response answered by the gateway itself.</summary>
public sealed record HttpDirectResponse
{
    [Required]
    [Range(0, 4294967295)]
    public int? Status { get; init; }
    public HttpBody? Body { get; init; }
}

/// <summary>The body of a direct response: a string or base64 bytes.</summary>
[AtMostOneOf("string", "bytes")]
public sealed record HttpBody
{
    public string? String { get; init; }
    [Format("byte")]
    public string? Bytes { get; init; }
}

/// <summary>A reference to a delegate VirtualService.</summary>
public sealed record DelegateReference
{
    public string? Name { get; init; }
    public string? Namespace { get; init; }
}

/// <summary>Path and authority rewrites applied before forwarding.</summary>
public sealed record HttpRewrite
{
    public string? Uri { get; init; }
    public string? Authority { get; init; }
    public RegexRewrite? UriRegexRewrite { get; init; }
}

/// <summary>A regex rewrite of the path (RE2, <c>\1</c>-style groups).</summary>
public sealed record RegexRewrite
{
    public string? Match { get; init; }
    public string? Rewrite { get; init; }
}

/// <summary>Retry policy of a route.</summary>
public sealed record HttpRetry
{
    public int? Attempts { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? PerTryTimeout { get; init; }
    public string? RetryOn { get; init; }
    public bool? RetryRemoteLocalities { get; init; }
    public bool? RetryIgnorePreviousHosts { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? Backoff { get; init; }
}

/// <summary>Fault injection: delay and/or abort a percentage of requests.</summary>
public sealed record HttpFaultInjection
{
    public FaultDelay? Delay { get; init; }
    public FaultAbort? Abort { get; init; }
}

/// <summary>A fixed delay injected before forwarding.</summary>
[AtMostOneOf("fixedDelay", "exponentialDelay")]
public sealed record FaultDelay
{
    [Cel(CelRuleNames.Duration)]
    public string? FixedDelay { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? ExponentialDelay { get; init; }
    public Percent? Percentage { get; init; }

    /// <summary>Deprecated integer percentage.</summary>
    public int? Percent { get; init; }
}

/// <summary>An abort answered instead of forwarding.</summary>
[AtMostOneOf("httpStatus", "grpcStatus", "http2Error")]
public sealed record FaultAbort
{
    public int? HttpStatus { get; init; }
    public string? GrpcStatus { get; init; }
    public string? Http2Error { get; init; }
    public Percent? Percentage { get; init; }
}

/// <summary>A percentage in 0–100.</summary>
public sealed record Percent
{
    public double? Value { get; init; }
}

/// <summary>One mirror target with its own percentage.</summary>
public sealed record HttpMirrorPolicy
{
    [Required]
    public Destination? Destination { get; init; }
    public Percent? Percentage { get; init; }
}

/// <summary>Cross-origin resource sharing policy of a route.</summary>
public sealed record CorsPolicy
{
    public IReadOnlyList<StringMatch> AllowOrigins { get; init; } = [];

    /// <summary>Deprecated exact-origin list.</summary>
    public IReadOnlyList<string> AllowOrigin { get; init; } = [];

    public IReadOnlyList<string> AllowMethods { get; init; } = [];
    public IReadOnlyList<string> AllowHeaders { get; init; } = [];
    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];
    [Cel(CelRuleNames.Duration)]
    public string? MaxAge { get; init; }
    public bool? AllowCredentials { get; init; }
    [OneOf("UNSPECIFIED", "FORWARD", "IGNORE")]
    public string? UnmatchedPreflights { get; init; }
}

/// <summary>Header operations for requests and responses.</summary>
public sealed record Headers
{
    public HeaderOperations? Request { get; init; }
    public HeaderOperations? Response { get; init; }
}

/// <summary>Set (overwrite), add (append) and remove header operations.</summary>
public sealed record HeaderOperations
{
    public IReadOnlyDictionary<string, string> Set { get; init; } = Empty.Map<string>();
    public IReadOnlyDictionary<string, string> Add { get; init; } = Empty.Map<string>();
    public IReadOnlyList<string> Remove { get; init; } = [];
}

/// <summary>A TLS passthrough rule routed by SNI.</summary>
public sealed record TlsRoute
{
    [Required]
    public IReadOnlyList<TlsMatchAttributes> Match { get; init; } = [];
    public IReadOnlyList<RouteDestination> Route { get; init; } = [];
}

/// <summary>Match conditions of a TLS rule.</summary>
public sealed record TlsMatchAttributes
{
    [Required]
    public IReadOnlyList<string> SniHosts { get; init; } = [];
    public IReadOnlyList<string> DestinationSubnets { get; init; } = [];
    [Range(0, 4294967295)]
    public int? Port { get; init; }
    public IReadOnlyDictionary<string, string> SourceLabels { get; init; } = Empty.Map<string>();
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public string? SourceNamespace { get; init; }
}

/// <summary>An opaque TCP rule.</summary>
public sealed record TcpRoute
{
    public IReadOnlyList<L4MatchAttributes> Match { get; init; } = [];
    public IReadOnlyList<RouteDestination> Route { get; init; } = [];
}

/// <summary>Match conditions of a TCP rule.</summary>
public sealed record L4MatchAttributes
{
    public IReadOnlyList<string> DestinationSubnets { get; init; } = [];
    [Range(0, 4294967295)]
    public int? Port { get; init; }
    public string? SourceSubnet { get; init; }
    public IReadOnlyDictionary<string, string> SourceLabels { get; init; } = Empty.Map<string>();
    public IReadOnlyList<string> Gateways { get; init; } = [];
    public string? SourceNamespace { get; init; }
}

/// <summary>A weighted L4 destination.</summary>
public sealed record RouteDestination
{
    [Required]
    public Destination? Destination { get; init; }
    public int? Weight { get; init; }
}

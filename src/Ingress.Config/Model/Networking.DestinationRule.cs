
namespace Ingress.Config.Model;

/// <summary>networking.istio.io DestinationRule: subsets and traffic policy for a destination host.</summary>
public sealed record DestinationRule : Resource
{
    public DestinationRuleSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="DestinationRule"/>.</summary>
public sealed record DestinationRuleSpec
{
    [Required]
    public string? Host { get; init; }
    public TrafficPolicy? TrafficPolicy { get; init; }
    public IReadOnlyList<Subset> Subsets { get; init; } = [];
    public IReadOnlyList<string> ExportTo { get; init; } = [];
    public WorkloadSelector? WorkloadSelector { get; init; }
}

/// <summary>A named subset of a service's endpoints, selected by labels.</summary>
public sealed record Subset
{
    [Required]
    public string? Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = Empty.Map<string>();
    public TrafficPolicy? TrafficPolicy { get; init; }
}

/// <summary>Load balancing, connection pool, outlier detection and TLS toward a destination.</summary>
public sealed record TrafficPolicy
{
    public LoadBalancerSettings? LoadBalancer { get; init; }
    public ConnectionPoolSettings? ConnectionPool { get; init; }
    public OutlierDetection? OutlierDetection { get; init; }
    public ClientTlsSettings? Tls { get; init; }
    [MaxItems(4096)]
    public IReadOnlyList<PortTrafficPolicy> PortLevelSettings { get; init; } = [];
    public Opaque? Tunnel { get; init; }
    public Opaque? ProxyProtocol { get; init; }
    public Opaque? RetryBudget { get; init; }
}

/// <summary>A traffic policy for one port of the destination.</summary>
public sealed record PortTrafficPolicy
{
    public PortSelector? Port { get; init; }
    public LoadBalancerSettings? LoadBalancer { get; init; }
    public ConnectionPoolSettings? ConnectionPool { get; init; }
    public OutlierDetection? OutlierDetection { get; init; }
    public ClientTlsSettings? Tls { get; init; }
}

/// <summary>How requests are spread over endpoints.</summary>
[AtMostOneOf("simple", "consistentHash", "backendUtilization")]
public sealed record LoadBalancerSettings
{
    [OneOf("UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST")]
    public string? Simple { get; init; }
    public Opaque? ConsistentHash { get; init; }
    public Opaque? LocalityLbSetting { get; init; }
    public Opaque? ZoneAwareLbSetting { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? WarmupDurationSecs { get; init; }
    public Opaque? Warmup { get; init; }
    public Opaque? BackendUtilization { get; init; }
}

/// <summary>Connection limits toward a destination.</summary>
public sealed record ConnectionPoolSettings
{
    public TcpSettings? Tcp { get; init; }
    public HttpSettings? Http { get; init; }
}

/// <summary>TCP connection pool limits.</summary>
public sealed record TcpSettings
{
    public int? MaxConnections { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? ConnectTimeout { get; init; }
    public Opaque? TcpKeepalive { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? MaxConnectionDuration { get; init; }
    public string? IdleTimeout { get; init; }
}

/// <summary>HTTP connection pool limits.</summary>
public sealed record HttpSettings
{
    public int? Http1MaxPendingRequests { get; init; }
    public int? Http2MaxRequests { get; init; }
    public int? MaxRequestsPerConnection { get; init; }
    public int? MaxRetries { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? IdleTimeout { get; init; }
    [OneOf("DEFAULT", "DO_NOT_UPGRADE", "UPGRADE")]
    public string? H2UpgradePolicy { get; init; }
    public bool? UseClientProtocol { get; init; }
    public int? MaxConcurrentStreams { get; init; }
    public Opaque? Http2KeepAlive { get; init; }
}

/// <summary>Ejection of endpoints that keep failing.</summary>
public sealed record OutlierDetection
{
    public bool? SplitExternalLocalOriginErrors { get; init; }
    [Range(0, 4294967295)]
    public int? ConsecutiveLocalOriginFailures { get; init; }
    [Range(0, 4294967295)]
    public int? ConsecutiveGatewayErrors { get; init; }
    [Range(0, 4294967295)]
    public int? Consecutive5xxErrors { get; init; }
    public int? ConsecutiveErrors { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? Interval { get; init; }
    [Cel(CelRuleNames.Duration)]
    public string? BaseEjectionTime { get; init; }
    public int? MaxEjectionPercent { get; init; }
    public int? MinHealthPercent { get; init; }
    [Range(100, 599, Each = true)]
    public IReadOnlyList<int> OutlierDetectionHttpErrorCodes { get; init; } = [];
}

/// <summary>TLS toward the destination (client side).</summary>
public sealed record ClientTlsSettings
{
    [OneOf("DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL")]
    public string? Mode { get; init; }
    public string? ClientCertificate { get; init; }
    public string? PrivateKey { get; init; }
    public string? CaCertificates { get; init; }
    public string? CredentialName { get; init; }
    public IReadOnlyList<string> SubjectAltNames { get; init; } = [];
    public string? Sni { get; init; }
    public bool? InsecureSkipVerify { get; init; }
    public string? CaCrl { get; init; }
}


namespace Ingress.Config.Model;

/// <summary>telemetry.istio.io Telemetry: tracing, metrics and access logging for a scope.</summary>
public sealed record Telemetry : Resource
{
    public TelemetrySpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="Telemetry"/>.</summary>
[Cel(CelRuleNames.SelectorOrTargetRefs)]
public sealed record TelemetrySpec
{
    public WorkloadSelector? Selector { get; init; }
    public PolicyTargetReference? TargetRef { get; init; }
    [MaxItems(16)]
    public IReadOnlyList<PolicyTargetReference> TargetRefs { get; init; } = [];
    public IReadOnlyList<Tracing> Tracing { get; init; } = [];
    public IReadOnlyList<Metrics> Metrics { get; init; } = [];
    public IReadOnlyList<AccessLogging> AccessLogging { get; init; } = [];
}

/// <summary>Tracing settings: providers, sampling and custom tags.</summary>
public sealed record Tracing
{
    public TelemetryMatch? Match { get; init; }
    public IReadOnlyList<ProviderRef> Providers { get; init; } = [];
    [Range(0, 100)]
    public double? RandomSamplingPercentage { get; init; }
    public bool? DisableSpanReporting { get; init; }
    public IReadOnlyDictionary<string, CustomTag> CustomTags { get; init; } = Empty.Map<CustomTag>();
    public bool? UseRequestIdForTraceSampling { get; init; }
    public bool? EnableIstioTags { get; init; }
    public bool? DisableContextPropagation { get; init; }
}

/// <summary>Access logging settings.</summary>
public sealed record AccessLogging
{
    public TelemetryMatch? Match { get; init; }
    public IReadOnlyList<ProviderRef> Providers { get; init; } = [];
    public bool? Disabled { get; init; }
    public AccessLogFilter? Filter { get; init; }
}

/// <summary>Which traffic direction a telemetry setting applies to.</summary>
public sealed record TelemetryMatch
{
    [OneOf("CLIENT_AND_SERVER", "CLIENT", "SERVER")]
    public string? Mode { get; init; }
}

/// <summary>A reference to a provider declared in meshConfig.extensionProviders.</summary>
public sealed record ProviderRef
{
    [Required]
    [MinLength(1)]
    public string? Name { get; init; }
}

/// <summary>Metrics settings: providers, reporting interval and per-metric overrides.</summary>
public sealed record Metrics
{
    public IReadOnlyList<ProviderRef> Providers { get; init; } = [];
    public IReadOnlyList<MetricsOverrides> Overrides { get; init; } = [];
    [Cel(CelRuleNames.Duration)]
    public string? ReportingInterval { get; init; }
}

/// <summary>Turns a metric off or rewrites its tags, for the metrics its match selects.</summary>
public sealed record MetricsOverrides
{
    public MetricSelector? Match { get; init; }
    public bool? Disabled { get; init; }
    [Cel(CelRuleNames.UpsertNeedsValue, Each = true)]
    [Cel(CelRuleNames.RemoveForbidsValue, Each = true)]
    public IReadOnlyDictionary<string, MetricTagOverride> TagOverrides { get; init; } = Empty.Map<MetricTagOverride>();
}

/// <summary>Which metric an override applies to: a standard one or a custom one, and the traffic direction.</summary>
[AtMostOneOf("metric", "customMetric")]
public sealed record MetricSelector
{
    [OneOf("ALL_METRICS", "REQUEST_COUNT", "REQUEST_DURATION", "REQUEST_SIZE", "RESPONSE_SIZE", "TCP_OPENED_CONNECTIONS", "TCP_CLOSED_CONNECTIONS", "TCP_SENT_BYTES", "TCP_RECEIVED_BYTES", "GRPC_REQUEST_MESSAGES", "GRPC_RESPONSE_MESSAGES")]
    public string? Metric { get; init; }
    [MinLength(1)]
    public string? CustomMetric { get; init; }
    [OneOf("CLIENT_AND_SERVER", "CLIENT", "SERVER")]
    public string? Mode { get; init; }
}

/// <summary>Sets (UPSERT, with a value expression) or removes (REMOVE) one tag of a metric.</summary>
public sealed record MetricTagOverride
{
    [OneOf("UPSERT", "REMOVE")]
    public string? Operation { get; init; }
    public string? Value { get; init; }
}

/// <summary>A CEL expression selecting which requests are access-logged.</summary>
public sealed record AccessLogFilter
{
    public string? Expression { get; init; }
}

/// <summary>A custom span tag: exactly one of a literal, an environment variable, a request header or a formatter.</summary>
[AtMostOneOf("literal", "environment", "header", "formatter")]
public sealed record CustomTag
{
    public CustomTagLiteral? Literal { get; init; }
    public CustomTagEnvironment? Environment { get; init; }
    public CustomTagHeader? Header { get; init; }
    public CustomTagFormatter? Formatter { get; init; }
}

/// <summary>A tag with a fixed value.</summary>
public sealed record CustomTagLiteral
{
    [Required]
    [MinLength(1)]
    public string? Value { get; init; }
}

/// <summary>A tag read from an environment variable of the proxy.</summary>
public sealed record CustomTagEnvironment
{
    [Required]
    [MinLength(1)]
    public string? Name { get; init; }
    public string? DefaultValue { get; init; }
}

/// <summary>A tag read from a request header.</summary>
public sealed record CustomTagHeader
{
    [Required]
    [MinLength(1)]
    public string? Name { get; init; }
    public string? DefaultValue { get; init; }
}

/// <summary>A tag computed by an Envoy substitution formatter (such as <c>%REQ(:PATH)%</c>).</summary>
public sealed record CustomTagFormatter
{
    [Required]
    [MinLength(1)]
    public string? Value { get; init; }
}

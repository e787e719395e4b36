namespace Ingress.Config.Model;

/// <summary>telemetry.istio.io Telemetry: tracing, metrics and access logging for a scope.</summary>
public sealed record Telemetry : Resource
{
    public TelemetrySpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="Telemetry"/>.</summary>
public sealed record TelemetrySpec
{
    public WorkloadSelector? Selector { get; init; }
    public PolicyTargetReference? TargetRef { get; init; }
    public IReadOnlyList<PolicyTargetReference> TargetRefs { get; init; } = [];
    public IReadOnlyList<Tracing> Tracing { get; init; } = [];
    public IReadOnlyList<Opaque> Metrics { get; init; } = [];
    public IReadOnlyList<AccessLogging> AccessLogging { get; init; } = [];
}

/// <summary>Tracing settings: providers, sampling and custom tags.</summary>
public sealed record Tracing
{
    public TelemetryMatch? Match { get; init; }
    public IReadOnlyList<ProviderRef> Providers { get; init; } = [];
    public double? RandomSamplingPercentage { get; init; }
    public bool? DisableSpanReporting { get; init; }
    public IReadOnlyDictionary<string, Opaque> CustomTags { get; init; } = Empty.Map<Opaque>();
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
    public Opaque? Filter { get; init; }
}

/// <summary>Which traffic direction a telemetry setting applies to.</summary>
public sealed record TelemetryMatch
{
    public string? Mode { get; init; }
}

/// <summary>A reference to a provider declared in meshConfig.extensionProviders.</summary>
public sealed record ProviderRef
{
    public string? Name { get; init; }
}

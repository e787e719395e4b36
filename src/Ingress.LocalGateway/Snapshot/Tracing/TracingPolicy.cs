using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Snapshot.Tracing;

/// <summary>
/// What the Telemetry resources that select this gateway say about its tracing, merged as Istio merges them (root
/// namespace, then the gateway's namespace, then a selector matching the gateway; a field set later wins).
/// </summary>
public sealed record TracingPolicy
{
    /// <summary>No Telemetry: trace at 100 % locally (Istio itself has no default tracer since 1.22), Istio's defaults otherwise.</summary>
    public static TracingPolicy Default { get; } = new();

    /// <summary><c>randomSamplingPercentage</c>; 100 when no Telemetry sets it.</summary>
    public double SamplingPercentage { get; init; } = 100;

    /// <summary><c>disableSpanReporting</c>: Istio then configures no tracing for the proxy at all.</summary>
    public bool Disabled { get; init; }

    /// <summary><c>useRequestIdForTraceSampling</c> (default true): the request id, not a random number, decides.</summary>
    public bool UseRequestIdForSampling { get; init; } = true;

    /// <summary><c>enableIstioTags</c> (default true): the <c>istio.*</c> workload tags.</summary>
    public bool IstioTags { get; init; } = true;

    /// <summary><c>disableContextPropagation</c>: spans are still made, but no trace header is injected upstream.</summary>
    public bool DisableContextPropagation { get; init; }

    /// <summary><c>customTags</c> (literal, environment and header kinds).</summary>
    public IReadOnlyList<SpanCustomTag> CustomTags { get; init; } = [];
}

/// <summary>One Telemetry <c>customTags</c> entry: its tag name and where its value comes from.</summary>
public sealed record SpanCustomTag
{
    public required string Name { get; init; }

    /// <summary>The fixed value (literal, or an environment variable read when the config was loaded), or null for a header tag.</summary>
    public string? Value { get; init; }

    /// <summary>The request header a header tag reads, else null.</summary>
    public string? Header { get; init; }

    /// <summary>The value of a header tag when the request has no such header.</summary>
    public string? DefaultValue { get; init; }

    /// <summary>The tag's value for a request, or null when it has none (Envoy sets no empty custom tag).</summary>
    public string? ValueFor(IHeaderDictionary headers)
    {
        if (Header is null)
        {
            return string.IsNullOrEmpty(Value) ? null : Value;
        }

        var values = headers[Header];
        var value = values.Count > 0 ? values[0] : DefaultValue;
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

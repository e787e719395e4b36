using System.Diagnostics;
using OpenTelemetry.Context.Propagation;

namespace HttpServer.ServiceDefaults;

/// <summary>Zipkin B3 propagation (https://github.com/openzipkin/b3-propagation): reads single and multi-header, writes both.</summary>
/// <remarks>
/// Extract: the single <c>b3</c> header is read first, then <c>x-b3-*</c>. 64-bit trace ids are left-padded with zeros
/// to 128 bits. Sampling state <c>1</c>/<c>true</c> and debug (<c>d</c>, <c>x-b3-flags: 1</c>) mean sampled; <c>0</c>/<c>false</c>
/// mean not sampled; an absent state defers to this service's sampler, whose default (parent-based, always on; see
/// <c>OTEL_TRACES_SAMPLER</c>) records every root, so it counts as sampled.
/// A deny-only <c>b3: 0</c> carries no ids: a fresh unsampled context is returned so the deny still reaches the next hop.
/// Inject: <c>x-b3-traceid</c> (32 hex), <c>x-b3-spanid</c>, <c>x-b3-parentspanid</c> (when known), <c>x-b3-sampled</c>, and the
/// same values as one <c>b3</c> header, so hops reading either form see the same trace.
/// </remarks>
public sealed class B3Propagator : TextMapPropagator
{
    /// <summary><c>x-b3-traceid</c>.</summary>
    public const string TraceIdHeader = "x-b3-traceid";
    /// <summary><c>x-b3-spanid</c>.</summary>
    public const string SpanIdHeader = "x-b3-spanid";
    /// <summary><c>x-b3-parentspanid</c>.</summary>
    public const string ParentSpanIdHeader = "x-b3-parentspanid";
    /// <summary><c>x-b3-sampled</c>.</summary>
    public const string SampledHeader = "x-b3-sampled";
    /// <summary><c>x-b3-flags</c>.</summary>
    public const string FlagsHeader = "x-b3-flags";
    /// <summary>The single-header form, <c>b3</c>.</summary>
    public const string SingleHeader = "b3";

    private static readonly HashSet<string> AllFields =
        new([TraceIdHeader, SpanIdHeader, ParentSpanIdHeader, SampledHeader, FlagsHeader, SingleHeader], StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override ISet<string> Fields => AllFields;

    /// <inheritdoc />
    public override PropagationContext Extract<T>(PropagationContext context, T carrier, Func<T, string, IEnumerable<string>?> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        if (IsValid(context.ActivityContext))
        {
            // An earlier propagator in the composite (W3C) already found a parent.
            return context;
        }

        var single = First(getter(carrier, SingleHeader));
        if (single is not null && TryParseSingle(single, out var fromSingle))
        {
            return new PropagationContext(fromSingle, context.Baggage);
        }

        return TryParseMulti(carrier, getter, out var fromMulti)
            ? new PropagationContext(fromMulti, context.Baggage)
            : context;
    }

    /// <inheritdoc />
    public override void Inject<T>(PropagationContext context, T carrier, Action<T, string, string> setter)
    {
        ArgumentNullException.ThrowIfNull(setter);
        var activityContext = context.ActivityContext;
        if (!IsValid(activityContext))
        {
            return;
        }

        var traceId = activityContext.TraceId.ToHexString();
        var spanId = activityContext.SpanId.ToHexString();
        var sampled = (activityContext.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "1" : "0";

        // The propagation context has no parent id; the current activity has it when it is the span being injected.
        string? parentSpanId = null;
        var current = Activity.Current;
        if (current is not null && current.TraceId == activityContext.TraceId && current.SpanId == activityContext.SpanId
            && current.ParentSpanId != default)
        {
            parentSpanId = current.ParentSpanId.ToHexString();
        }

        setter(carrier, TraceIdHeader, traceId);
        setter(carrier, SpanIdHeader, spanId);
        if (parentSpanId is not null)
        {
            setter(carrier, ParentSpanIdHeader, parentSpanId);
        }

        setter(carrier, SampledHeader, sampled);
        setter(carrier, SingleHeader, parentSpanId is null
            ? $"{traceId}-{spanId}-{sampled}"
            : $"{traceId}-{spanId}-{sampled}-{parentSpanId}");
    }

    /// <summary>Parses a <c>b3</c> header value: <c>{TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]</c> or a lone sampling state.</summary>
    internal static bool TryParseSingle(string value, out ActivityContext context)
    {
        context = default;
        var parts = value.Trim().Split('-');
        if (parts.Length == 1)
        {
            if (parts[0] != "0")
            {
                // "1" or "d" without ids: nothing to continue; this service's sampler decides for the new root.
                return false;
            }

            context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
            return true;
        }

        if (parts.Length > 4 || !TryParseTraceId(parts[0], out var traceId) || !TryParseSpanId(parts[1], out var spanId))
        {
            return false;
        }

        var flags = ActivityTraceFlags.Recorded;
        if (parts.Length >= 3)
        {
            switch (parts[2])
            {
                case "1" or "d":
                    break;
                case "0":
                    flags = ActivityTraceFlags.None;
                    break;
                default:
                    return false;
            }
        }

        if (parts.Length == 4 && !TryParseSpanId(parts[3], out _))
        {
            return false;
        }

        context = new ActivityContext(traceId, spanId, flags, isRemote: true);
        return true;
    }

    private static bool TryParseMulti<T>(T carrier, Func<T, string, IEnumerable<string>?> getter, out ActivityContext context)
    {
        context = default;
        var traceIdValue = First(getter(carrier, TraceIdHeader));
        var spanIdValue = First(getter(carrier, SpanIdHeader));
        if (traceIdValue is null || spanIdValue is null
            || !TryParseTraceId(traceIdValue, out var traceId) || !TryParseSpanId(spanIdValue, out var spanId))
        {
            return false;
        }

        var flags = ActivityTraceFlags.Recorded;
        var debug = First(getter(carrier, FlagsHeader)) == "1";
        var sampled = First(getter(carrier, SampledHeader));
        if (!debug && (sampled == "0" || string.Equals(sampled, "false", StringComparison.OrdinalIgnoreCase)))
        {
            flags = ActivityTraceFlags.None;
        }

        context = new ActivityContext(traceId, spanId, flags, isRemote: true);
        return true;
    }

    private static bool TryParseTraceId(string value, out ActivityTraceId traceId)
    {
        traceId = default;
        var hex = value.Trim();
        if ((hex.Length != 16 && hex.Length != 32) || !IsLowerHexNonZero(hex))
        {
            return false;
        }

        traceId = ActivityTraceId.CreateFromString(hex.Length == 16 ? string.Concat("0000000000000000", hex) : hex);
        return true;
    }

    private static bool TryParseSpanId(string value, out ActivitySpanId spanId)
    {
        spanId = default;
        var hex = value.Trim();
        if (hex.Length != 16 || !IsLowerHexNonZero(hex))
        {
            return false;
        }

        spanId = ActivitySpanId.CreateFromString(hex);
        return true;
    }

    private static bool IsLowerHexNonZero(string hex)
    {
        var nonZero = false;
        foreach (var c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }

            nonZero |= c != '0';
        }

        return nonZero;
    }

    private static bool IsValid(ActivityContext context) => context.TraceId != default && context.SpanId != default;

    private static string? First(IEnumerable<string>? values) => values?.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}

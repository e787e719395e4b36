using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// The trace context a client sent, read as Istio's Zipkin tracer with W3C propagation reads it: the single
/// <c>b3</c> header first, then the B3 multi headers, then <c>traceparent</c>. A malformed B3 context makes Envoy
/// drop tracing for that request; a malformed <c>traceparent</c> is ignored, as W3C asks.
/// </summary>
public readonly record struct IncomingTraceContext
{
    /// <summary>True when the headers carry a parent (trace id and span id) to continue.</summary>
    public bool HasParent { get; init; }

    public ActivityTraceId TraceId { get; init; }
    public ActivitySpanId ParentSpanId { get; init; }

    /// <summary>The caller's sampling decision, or null when it made none (the gateway decides).</summary>
    public bool? Sampled { get; init; }

    /// <summary>A B3 header that cannot be read: Envoy then traces nothing for the request.</summary>
    public bool Malformed { get; init; }

    /// <summary>Reads the incoming headers.</summary>
    public static IncomingTraceContext Read(IHeaderDictionary headers)
    {
        var b3 = headers["b3"];
        if (b3.Count > 0)
        {
            return ReadSingle(b3[0] ?? "");
        }

        var traceId = headers["x-b3-traceid"];
        var spanId = headers["x-b3-spanid"];
        var sampledHeader = headers["x-b3-sampled"];
        bool? sampled = sampledHeader.Count > 0 ? sampledHeader[0] is "1" or "true" : null;
        if (traceId.Count > 0 && spanId.Count > 0)
        {
            if (!TryTraceId(traceId[0], out var trace) || !TrySpanId(spanId[0], out var span))
            {
                return new IncomingTraceContext { Malformed = true };
            }

            return new IncomingTraceContext { HasParent = true, TraceId = trace, ParentSpanId = span, Sampled = sampled };
        }

        var traceparent = headers["traceparent"];
        if (traceparent.Count > 0 && TryTraceparent(traceparent[0], out var w3c))
        {
            // An explicit B3 sampling decision still wins over the W3C flags, as Envoy's extractor reads B3 first.
            return sampled is null ? w3c : w3c with { Sampled = sampled };
        }

        return new IncomingTraceContext { Sampled = sampled };
    }

    private static IncomingTraceContext ReadSingle(string b3)
    {
        if (b3.Length == 1)
        {
            return b3[0] is '0' or '1' or 'd'
                ? new IncomingTraceContext { Sampled = b3[0] != '0' }
                : new IncomingTraceContext { Malformed = true };
        }

        // traceid(16|32)-spanid(16)[-sampled[-parentspanid(16)]]
        var parts = b3.Split('-');
        if (parts.Length is < 2 or > 4 || !TryTraceId(parts[0], out var trace) || !TrySpanId(parts[1], out var span))
        {
            return new IncomingTraceContext { Malformed = true };
        }

        bool? sampled = null;
        if (parts.Length >= 3)
        {
            if (parts[2] is not ("0" or "1" or "d"))
            {
                return new IncomingTraceContext { Malformed = true };
            }

            sampled = parts[2] != "0";
        }

        if (parts.Length == 4 && !TrySpanId(parts[3], out _))
        {
            return new IncomingTraceContext { Malformed = true };
        }

        return new IncomingTraceContext { HasParent = true, TraceId = trace, ParentSpanId = span, Sampled = sampled };
    }

    private static bool TryTraceparent(string? value, out IncomingTraceContext context)
    {
        context = default;
        // version-traceid-parentid-flags; version ff is invalid, a later version may append fields after the flags.
        if (value is null || value.Length < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-'
            || (value.Length > 55 && value[55] != '-') || value.StartsWith("ff", StringComparison.OrdinalIgnoreCase)
            || (value.StartsWith("00", StringComparison.Ordinal) && value.Length != 55)
            || !IsLowerHex(value.AsSpan(0, 2)) || !IsLowerHex(value.AsSpan(53, 2)))
        {
            return false;
        }

        if (!TryTraceId(value.Substring(3, 32), out var trace) || !TrySpanId(value.Substring(36, 16), out var span))
        {
            return false;
        }

        var flags = Convert.ToByte(value.Substring(53, 2), 16);
        context = new IncomingTraceContext { HasParent = true, TraceId = trace, ParentSpanId = span, Sampled = (flags & 1) == 1 };
        return true;
    }

    /// <summary>A 128-bit id as 32 hex digits, or a 64-bit B3 id as 16 (kept as the low half, high half zero).</summary>
    private static bool TryTraceId(string? hex, out ActivityTraceId id)
    {
        id = default;
        if (hex is null || (hex.Length != 32 && hex.Length != 16) || !IsHex(hex) || IsZero(hex))
        {
            return false;
        }

        id = ActivityTraceId.CreateFromString((hex.Length == 16 ? "0000000000000000" + hex : hex).ToLowerInvariant());
        return true;
    }

    private static bool TrySpanId(string? hex, out ActivitySpanId id)
    {
        id = default;
        if (hex is null || hex.Length != 16 || !IsHex(hex) || IsZero(hex))
        {
            return false;
        }

        id = ActivitySpanId.CreateFromString(hex.ToLowerInvariant());
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsZero(string hex) => hex.AsSpan().IndexOfAnyExcept('0') < 0;
}

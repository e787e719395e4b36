namespace Ingress.Config.Istio;

/// <summary>
/// Durations as Istio reads them, to the nanosecond: the one parser the validator, the CRD's CEL rules, the analyzers
/// and the gateway share.
/// </summary>
/// <remarks>
/// A YAML duration reaches Istio as a JSON string that the protobuf JSON decoder (golang/protobuf <c>jsonpb</c>) hands
/// to Go's <c>time.ParseDuration</c>; the API server's CEL <c>duration()</c> and cert-manager's durations use the same
/// function. So the grammar is Go's: an optional sign, then one or more number+unit pairs (<c>1h30m</c>, <c>1.5s</c>,
/// <c>.5ms</c>), units <c>ns us µs μs ms s m h</c>, a bare <c>0</c> allowed, nothing else. The value is an integer of
/// nanoseconds: digits past the ninth decimal of a unit are dropped (Go stops accumulating a fraction once it would
/// overflow), and a fraction is scaled with a double, truncated, exactly as Go does, so that <c>2.0000001s</c> is
/// 2 s + 100 ns and <c>2.000000001s</c> is 2 s + 1 ns, not one 100 ns tick rounded away.
/// </remarks>
public static class Durations
{
    private const ulong MaxMagnitude = 1UL << 63;

    /// <summary>
    /// Parses <paramref name="text"/> as Go's <c>time.ParseDuration</c> does; on failure <paramref name="error"/> is
    /// Go's message (<c>time: invalid duration "x"</c>, <c>time: missing unit in duration "1"</c>, ...).
    /// </summary>
    public static bool TryParse(string? text, out long nanoseconds, out string? error)
    {
        nanoseconds = 0;
        error = null;
        var original = text ?? "";
        var s = original.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return Invalid(out error);
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                return Invalid(out error);
            }

            var before = s.Length;
            if (!LeadingInteger(ref s, out var whole))
            {
                return Invalid(out error);
            }

            var hadWhole = before != s.Length;
            ulong fraction = 0;
            var scale = 1.0;
            var hadFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fractionStart = s.Length;
                LeadingFraction(ref s, out fraction, out scale);
                hadFraction = fractionStart != s.Length;
            }

            if (!hadWhole && !hadFraction)
            {
                return Invalid(out error);
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = $"time: missing unit in duration {Quote(original)}";
                return false;
            }

            var unitText = s[..unitLength];
            s = s[unitLength..];
            if (UnitNanoseconds(unitText) is not { } unit)
            {
                error = $"time: unknown unit {Quote(unitText.ToString())} in duration {Quote(original)}";
                return false;
            }

            if (whole > MaxMagnitude / unit)
            {
                return Invalid(out error);
            }

            whole *= unit;
            if (fraction > 0)
            {
                // Go computes the fraction in float64 (exact to the nanosecond for fractions of an hour) and truncates.
                whole += (ulong)(fraction * (unit / scale));
                if (whole > MaxMagnitude)
                {
                    return Invalid(out error);
                }
            }

            total += whole;
            if (total > MaxMagnitude)
            {
                return Invalid(out error);
            }
        }

        if (negative)
        {
            nanoseconds = total == MaxMagnitude ? long.MinValue : -(long)total;
            return true;
        }

        if (total > long.MaxValue)
        {
            return Invalid(out error);
        }

        nanoseconds = (long)total;
        return true;

        bool Invalid(out string? message)
        {
            message = $"time: invalid duration {Quote(original)}";
            return false;
        }
    }

    /// <summary>Parses a duration to the nanosecond.</summary>
    public static bool TryParse(string? text, out long nanoseconds) => TryParse(text, out nanoseconds, out _);

    /// <summary>
    /// Parses a duration for a timer: the exact nanoseconds truncated to <see cref="TimeSpan"/>'s 100 ns ticks (Envoy
    /// and .NET timers are far coarser than that).
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        var parsed = TryParse(text, out long nanoseconds, out _);
        value = parsed ? TimeSpan.FromTicks(nanoseconds / 100) : TimeSpan.Zero;
        return parsed;
    }

    /// <summary>
    /// Istio's check of a duration field (<c>pkg/config/validation/agent: ValidateDuration</c>): after Go's parse,
    /// the value must be at least 1 ms and a whole number of milliseconds. Null when valid.
    /// </summary>
    public static string? ValidationError(string? text)
    {
        if (!TryParse(text, out long nanoseconds, out var parseError))
        {
            return $"bad Duration: {parseError}; write a number with a unit, such as 500ms, 10s, 1m or 1h";
        }

        if (nanoseconds < NanosecondsPerMillisecond)
        {
            return "duration must be greater than 1ms";
        }

        return nanoseconds % NanosecondsPerMillisecond != 0 ? "only durations to ms precision are supported" : null;
    }

    /// <summary>Nanoseconds in a millisecond.</summary>
    public const long NanosecondsPerMillisecond = 1_000_000;

    /// <summary>Nanoseconds in a second.</summary>
    public const long NanosecondsPerSecond = 1_000_000_000;

    private static ulong? UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1UL,
        "us" or "\u00b5s" or "\u03bcs" => 1_000UL,
        "ms" => 1_000_000UL,
        "s" => 1_000_000_000UL,
        "m" => 60_000_000_000UL,
        "h" => 3_600_000_000_000UL,
        _ => null,
    };

    /// <summary>Go's <c>leadingInt</c>: the digits at the start; false when they overflow 2^63.</summary>
    private static bool LeadingInteger(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (value > MaxMagnitude / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(s[i] - '0');
            if (value > MaxMagnitude)
            {
                return false;
            }
        }

        s = s[i..];
        return true;
    }

    /// <summary>Go's <c>leadingFraction</c>: the digits after the point, and 10^(digits kept); extra digits are dropped.</summary>
    private static void LeadingFraction(ref ReadOnlySpan<char> s, out ulong value, out double scale)
    {
        value = 0;
        scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
        {
            if (overflow)
            {
                continue;
            }

            if (value > (MaxMagnitude - 1) / 10)
            {
                overflow = true;
                continue;
            }

            var next = (value * 10) + (ulong)(s[i] - '0');
            if (next > MaxMagnitude)
            {
                overflow = true;
                continue;
            }

            value = next;
            scale *= 10;
        }

        s = s[i..];
    }

    /// <summary>A string quoted as Go's <c>time</c> package quotes one in its errors.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Whether a parsed duration has no part below one second (CORS <c>maxAge</c>: "accurate only to seconds").</summary>
    public static bool IsWholeSeconds(long nanoseconds) => nanoseconds % NanosecondsPerSecond == 0;
}

using System.Globalization;

namespace Ingress.Config.Validation;

/// <summary>
/// Durations as Istio's CRDs accept them: a sequence of numbers with units (<c>300ms</c>, <c>1.5s</c>, <c>1m30s</c>,
/// <c>2160h</c>), the format of Go's time.ParseDuration and of the CEL <c>duration()</c> in Istio's schemas.
/// </summary>
internal static class Durations
{
    private static readonly (string Unit, double Seconds)[] Units =
    [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ];

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        var total = 0.0;
        var i = 0;
        var negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            i = 1;
        }

        if (i >= text.Length)
        {
            return false;
        }

        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                i++;
            }

            var unit = text[unitStart..i];
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0)
            {
                return false;
            }

            total += number * Units[match].Seconds;
        }

        value = TimeSpan.FromTicks((long)Math.Round((negative ? -total : total) * TimeSpan.TicksPerSecond));
        return true;
    }

    /// <summary>Istio's ValidateDuration: at least 1ms and whole milliseconds; null when valid.</summary>
    public static string? IstioError(string text)
    {
        if (!TryParse(text, out var value))
        {
            return $"invalid duration \"{text}\": write a number with a unit, such as 500ms, 10s, 1m or 1h";
        }

        if (value < TimeSpan.FromMilliseconds(1))
        {
            return "duration must be greater than 1ms";
        }

        return value.Ticks % TimeSpan.TicksPerMillisecond != 0 ? "only durations to ms precision are supported" : null;
    }
}

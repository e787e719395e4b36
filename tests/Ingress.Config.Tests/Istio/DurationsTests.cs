using Ingress.Config.Istio;

namespace Ingress.Config.Tests.Istio;

/// <summary>
/// The duration grammar and arithmetic of Go's <c>time.ParseDuration</c> (the parser Istio's JSON decoding, the CRDs'
/// CEL <c>duration()</c> and cert-manager use), then Istio's <c>agent.ValidateDuration</c> on the result.
/// </summary>
public class DurationsTests
{
    private const long Ms = 1_000_000;
    private const long S = 1_000 * Ms;

    /// <summary>Go's time.ParseDuration: text, nanoseconds.</summary>
    public static TheoryData<string, long> Parsed => new()
    {
        { "0", 0 },
        { "-0", 0 },
        { "+0", 0 },
        { "5s", 5 * S },
        { "-5s", -5 * S },
        { "+5s", 5 * S },
        { "5.6s", (5 * S) + (600 * Ms) },
        { "5.s", 5 * S },
        { ".5s", 500 * Ms },
        { "1.004s", S + (4 * Ms) },
        { "100.00100s", (100 * S) + Ms },
        { "10ns", 10 },
        { "11us", 11_000 },
        { "12\u00b5s", 12_000 },
        { "12\u03bcs", 12_000 },
        { "13ms", 13 * Ms },
        { "15m", 15 * 60 * S },
        { "16h", 16 * 3600 * S },
        { "3h30m", ((3 * 3600) + (30 * 60)) * S },
        { "10.5s4m", (4 * 60 * S) + (10 * S) + (500 * Ms) },
        { "-2m3.4s", -((2 * 60 * S) + (3 * S) + (400 * Ms)) },
        { "1h2m3s4ms5us6ns", (3723 * S) + (4 * Ms) + 5_006 },
        { "0.3333333333333333333h", 20 * 60 * S },
        { "9223372036854775807ns", long.MaxValue },
        { "-9223372036854775808ns", long.MinValue },
        // The fraction is scaled in float64 and truncated, to the nanosecond: not rounded to a 100 ns tick.
        { "2.0000001s", (2 * S) + 100 },
        { "2.000000001s", (2 * S) + 1 },
        { "2.0000000001s", 2 * S },
    };

    [Theory]
    [MemberData(nameof(Parsed))]
    public void Parses_as_go_does(string text, long nanoseconds)
    {
        Assert.True(Durations.TryParse(text, out long value, out var error), error);
        Assert.Equal(nanoseconds, value);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("3", "time: missing unit in duration \"3\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData(".", "time: invalid duration \".\"")]
    [InlineData("-.", "time: invalid duration \"-.\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("+.s", "time: invalid duration \"+.s\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("1.5 s", "time: unknown unit \" s\" in duration \"1.5 s\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [InlineData("-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\"")]
    [InlineData("3000000h", "time: invalid duration \"3000000h\"")]
    [InlineData("9223372036854ms775us808ns", "time: invalid duration \"9223372036854ms775us808ns\"")]
    public void Rejects_what_go_rejects(string text, string message)
    {
        Assert.False(Durations.TryParse(text, out long _, out var error));
        Assert.Equal(message, error);
    }

    /// <summary>Istio's agent.ValidateDuration on the parsed value: text, error (empty when valid).</summary>
    [Theory]
    [InlineData("1ms", "")]
    [InlineData("10s", "")]
    [InlineData("1h30m", "")]
    [InlineData("2.0000000001s", "")]
    [InlineData("0.5ms", "duration must be greater than 1ms")]
    [InlineData("0s", "duration must be greater than 1ms")]
    [InlineData("-1s", "duration must be greater than 1ms")]
    [InlineData("1.5ms", "only durations to ms precision are supported")]
    [InlineData("2.0000001s", "only durations to ms precision are supported")]
    [InlineData("2.000000001s", "only durations to ms precision are supported")]
    [InlineData("10", "bad Duration: time: missing unit in duration \"10\"; write a number with a unit, such as 500ms, 10s, 1m or 1h")]
    public void Validates_as_istio_validates_a_duration_field(string text, string error)
    {
        Assert.Equal(error, Durations.ValidationError(text) ?? "");
    }

    [Fact]
    public void Gives_timers_the_nanoseconds_truncated_to_ticks()
    {
        Assert.True(Durations.TryParse("1.5s", out TimeSpan value));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), value);
        Assert.True(Durations.TryParse("250ns", out value));
        Assert.Equal(TimeSpan.FromTicks(2), value);
        Assert.False(Durations.TryParse("1d", out value));
        Assert.Equal(TimeSpan.Zero, value);
    }
}

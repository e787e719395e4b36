using System.Diagnostics;
using HttpServer.ServiceDefaults;
using OpenTelemetry.Context.Propagation;
using B3Propagator = HttpServer.ServiceDefaults.B3Propagator;

namespace HttpServer.Tests;

public sealed class B3PropagatorTests
{
    private static readonly B3Propagator Propagator = new();

    [Fact]
    public void Extracts_multi_header_128_bit_ids_and_the_sampled_flag()
    {
        var context = Extract(new()
        {
            ["x-b3-traceid"] = "463ac35c9f6413ad48485a3953bb6124",
            ["x-b3-spanid"] = "a2fb4a1d1a96d312",
            ["x-b3-parentspanid"] = "0020000000000001",
            ["x-b3-sampled"] = "1",
        });

        Assert.Equal("463ac35c9f6413ad48485a3953bb6124", context.TraceId.ToHexString());
        Assert.Equal("a2fb4a1d1a96d312", context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Fact]
    public void Left_pads_a_64_bit_trace_id_to_128_bits()
    {
        var context = Extract(new() { ["x-b3-traceid"] = "48485a3953bb6124", ["x-b3-spanid"] = "a2fb4a1d1a96d312" });

        Assert.Equal("000000000000000048485a3953bb6124", context.TraceId.ToHexString());
    }

    [Theory]
    [InlineData("0", null, ActivityTraceFlags.None)]
    [InlineData("false", null, ActivityTraceFlags.None)]
    [InlineData("1", null, ActivityTraceFlags.Recorded)]
    [InlineData("true", null, ActivityTraceFlags.Recorded)]
    [InlineData(null, null, ActivityTraceFlags.Recorded)]
    [InlineData("0", "1", ActivityTraceFlags.Recorded)]
    [InlineData(null, "1", ActivityTraceFlags.Recorded)]
    public void Multi_header_sampling_state_and_debug_flag(string? sampled, string? flags, ActivityTraceFlags expected)
    {
        var headers = new Dictionary<string, string> { ["x-b3-traceid"] = "463ac35c9f6413ad48485a3953bb6124", ["x-b3-spanid"] = "a2fb4a1d1a96d312" };
        if (sampled is not null)
        {
            headers["x-b3-sampled"] = sampled;
        }

        if (flags is not null)
        {
            headers["x-b3-flags"] = flags;
        }

        Assert.Equal(expected, Extract(headers).TraceFlags);
    }

    [Theory]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90", "80f198ee56343ba864fe8b2a57d3eff7", ActivityTraceFlags.Recorded)]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d", "80f198ee56343ba864fe8b2a57d3eff7", ActivityTraceFlags.Recorded)]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0", "80f198ee56343ba864fe8b2a57d3eff7", ActivityTraceFlags.None)]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1", "80f198ee56343ba864fe8b2a57d3eff7", ActivityTraceFlags.Recorded)]
    [InlineData("64fe8b2a57d3eff7-e457b5a2e4d86bd1-1", "000000000000000064fe8b2a57d3eff7", ActivityTraceFlags.Recorded)]
    public void Extracts_the_single_b3_header(string value, string traceId, ActivityTraceFlags flags)
    {
        var context = Extract(new() { ["b3"] = value });

        Assert.Equal(traceId, context.TraceId.ToHexString());
        Assert.Equal("e457b5a2e4d86bd1", context.SpanId.ToHexString());
        Assert.Equal(flags, context.TraceFlags);
    }

    [Fact]
    public void A_deny_only_b3_header_gives_an_unsampled_context()
    {
        var context = Extract(new() { ["b3"] = "0" });

        Assert.NotEqual(default, context.TraceId);
        Assert.Equal(ActivityTraceFlags.None, context.TraceFlags);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("d")]
    public void An_accept_only_b3_header_extracts_no_parent(string value)
    {
        Assert.Equal(default, Extract(new() { ["b3"] = value }));
    }

    [Fact]
    public void The_single_header_wins_over_multi_headers()
    {
        var context = Extract(new()
        {
            ["b3"] = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1",
            ["x-b3-traceid"] = "463ac35c9f6413ad48485a3953bb6124",
            ["x-b3-spanid"] = "a2fb4a1d1a96d312",
        });

        Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7", context.TraceId.ToHexString());
    }

    [Theory]
    [InlineData("463AC35C9F6413AD48485A3953BB6124", "a2fb4a1d1a96d312")]
    [InlineData("463ac35c9f6413ad48485a3953bb612", "a2fb4a1d1a96d312")]
    [InlineData("00000000000000000000000000000000", "a2fb4a1d1a96d312")]
    [InlineData("463ac35c9f6413ad48485a3953bb6124", "0000000000000000")]
    [InlineData("463ac35c9f6413ad48485a3953bb6124", "a2fb4a1d1a96d31")]
    [InlineData("463ac35c9f6413ad48485a3953bb6124-x", "a2fb4a1d1a96d312")]
    public void Rejects_malformed_ids(string traceId, string spanId)
    {
        Assert.Equal(default, Extract(new() { ["x-b3-traceid"] = traceId, ["x-b3-spanid"] = spanId }));
    }

    [Theory]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-x")]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-zz")]
    [InlineData("80f198ee56343ba864fe8b2a57d3eff7")]
    [InlineData("a-b-c-d-e")]
    public void Rejects_malformed_single_headers(string value)
    {
        Assert.Equal(default, Extract(new() { ["b3"] = value }));
    }

    [Fact]
    public void Keeps_a_context_an_earlier_propagator_extracted()
    {
        var earlier = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var headers = new Dictionary<string, string> { ["b3"] = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1" };

        var result = Propagator.Extract(new PropagationContext(earlier, default), headers, Getter);

        Assert.Equal(earlier, result.ActivityContext);
    }

    [Fact]
    public void Injects_multi_headers_and_the_single_header_with_the_parent_span()
    {
        using var parent = new Activity("server").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var child = new Activity("client").SetIdFormat(ActivityIdFormat.W3C).Start();
        child.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        var headers = new Dictionary<string, string>();

        Propagator.Inject(new PropagationContext(child.Context, default), headers, (h, k, v) => h[k] = v);

        var trace = child.TraceId.ToHexString();
        var span = child.SpanId.ToHexString();
        var parentSpan = parent.SpanId.ToHexString();
        Assert.Equal(new Dictionary<string, string>
        {
            ["x-b3-traceid"] = trace,
            ["x-b3-spanid"] = span,
            ["x-b3-parentspanid"] = parentSpan,
            ["x-b3-sampled"] = "1",
            ["b3"] = $"{trace}-{span}-1-{parentSpan}",
        }, headers);
    }

    [Fact]
    public void Injects_sampled_0_for_an_unrecorded_root_without_a_parent()
    {
        var context = new ActivityContext(ActivityTraceId.CreateFromString("80f198ee56343ba864fe8b2a57d3eff7"), ActivitySpanId.CreateFromString("e457b5a2e4d86bd1"), ActivityTraceFlags.None);
        var headers = new Dictionary<string, string>();

        Propagator.Inject(new PropagationContext(context, default), headers, (h, k, v) => h[k] = v);

        Assert.Equal("0", headers["x-b3-sampled"]);
        Assert.False(headers.ContainsKey("x-b3-parentspanid"));
        Assert.Equal("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0", headers["b3"]);
    }

    private static ActivityContext Extract(Dictionary<string, string> headers) =>
        Propagator.Extract(default, headers, Getter).ActivityContext;

    private static IEnumerable<string>? Getter(Dictionary<string, string> headers, string name) =>
        headers.TryGetValue(name, out var value) ? [value] : null;
}

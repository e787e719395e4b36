using HttpServer.Tests.Support;

namespace HttpServer.Tests;

/// <summary>The standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG settings decide for new roots; a caller's decision is kept.</summary>
/// <remarks>
/// Alone, not beside other tests: ASP.NET Core's request activity comes from one process-wide source, and with several
/// instances in the process each instance's tracer listens to it and the most permissive sampling decision wins, so
/// another test's always-on instance would record the root this class expects to stay unsampled.
/// </remarks>
[Collection(SamplingRunsAlone.Name)]
public sealed class SamplingTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanId = "00f067aa0ba902b7";

    private static readonly Dictionary<string, string> NoRootSampled = new()
    {
        ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
        ["OTEL_TRACES_SAMPLER_ARG"] = "0",
    };

    [Fact]
    public async Task Without_a_sampler_setting_a_new_root_is_sampled()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });

        using var response = await server.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(downstream.Requests);
        // The sampled bit (01) is set; a new root may also carry W3C Trace Context level 2's random-id bit (02), which
        // OpenTelemetry sets from 1.21 on.
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]$", sent["traceparent"]);
        Assert.Equal("1", sent["x-b3-sampled"]);
    }

    [Fact]
    public async Task Ratio_sampler_of_zero_leaves_a_new_root_unsampled()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>(NoRootSampled)
        {
            ["Downstream:Url"] = downstream.Address.ToString(),
        });

        using var response = await server.Client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(downstream.Requests);
        // The sampled bit is clear (the random-id bit may be set, as above).
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]$", sent["traceparent"]);
        Assert.Equal("0", sent["x-b3-sampled"]);
    }

    [Fact]
    public async Task Ratio_sampler_still_follows_a_sampled_parent()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>(NoRootSampled)
        {
            ["Downstream:Url"] = downstream.Address.ToString(),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("traceparent", $"00-{TraceId}-{SpanId}-01");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(downstream.Requests);
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-01$", sent["traceparent"]);
        Assert.Equal("1", sent["x-b3-sampled"]);
    }

    [Fact]
    public async Task An_unsampled_parent_stays_unsampled_by_default()
    {
        await using var downstream = await RecordingServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Downstream:Url"] = downstream.Address.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("traceparent", $"00-{TraceId}-{SpanId}-00");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(downstream.Requests);
        Assert.Matches($"^00-{TraceId}-[0-9a-f]{{16}}-00$", sent["traceparent"]);
        Assert.Equal("0", sent["x-b3-sampled"]);
    }
}

/// <summary>Runs <see cref="SamplingTests"/> after the parallel tests, with nothing else in the process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplingRunsAlone
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Sampling (alone in the process)";
}

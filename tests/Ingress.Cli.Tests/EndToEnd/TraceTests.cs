using System.Net;
using System.Text.Json;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>A request through the gateway to the chain, read back from the trace viewer that `ingress up` starts.</summary>
[Collection(LocalSystemGroup.Name)]
public sealed class TraceTests(LocalSystemFixture system)
{
    [Fact]
    public async Task One_request_through_the_gateway_and_the_chain_is_one_trace_rooted_at_the_gateway()
    {
        Assert.True(system.System.DashboardUrl is not null, "the trace viewer did not start (see the fixture's report)");
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/chain"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        // service0 copies the request headers it received into its response: the gateway's trace context among them.
        var traceparent = Assert.Single(response.Headers.GetValues("traceparent"));
        var traceId = traceparent.Split('-')[1];

        var spans = await ReadTraceAsync(traceId, requiredServices: ["service0", "service1", "service2"]);

        var roots = spans.Where(s => s.ParentSpanId is null).ToList();
        var root = Assert.Single(roots);
        // The gateway's server span, named by the route's decorator as Istio names it: destination FQDN, port, path.
        Assert.Equal((Ingress.Cli.LocalSystem.LocalTopology.GatewayServiceName, "service0.httpserver.svc.cluster.local:80/test/chain", 2),
            (root.Service, root.Name, root.Kind));
        Assert.All(spans, s => Assert.Equal(traceId, s.TraceId));

        // Each service's server span, and the parent of each: the gateway's upstream call, then the previous
        // service's outgoing call.
        var server0 = Assert.Single(spans, s => s.Service == "service0" && s.Kind == 2);
        var server1 = Assert.Single(spans, s => s.Service == "service1" && s.Kind == 2);
        var server2 = Assert.Single(spans, s => s.Service == "service2" && s.Kind == 2);
        var byId = spans.ToDictionary(s => s.SpanId);
        var call0 = byId[server0.ParentSpanId!];
        Assert.Equal((Ingress.Cli.LocalSystem.LocalTopology.GatewayServiceName, "router outbound|80||service0.httpserver.svc.cluster.local egress", 3, root.SpanId),
            (call0.Service, call0.Name, call0.Kind, call0.ParentSpanId));
        Assert.Equal($"00-{traceId}-{call0.SpanId}-01", traceparent);
        var call1 = byId[server1.ParentSpanId!];
        Assert.Equal(("service0", 3, server0.SpanId), (call1.Service, call1.Kind, call1.ParentSpanId));
        var call2 = byId[server2.ParentSpanId!];
        Assert.Equal(("service1", 3, server1.SpanId), (call2.Service, call2.Kind, call2.ParentSpanId));
    }

    private async Task<List<Span>> ReadTraceAsync(string traceId, string[] requiredServices)
    {
        using var http = new HttpClient();
        var url = new Uri(system.System.DashboardUrl!, $"/api/telemetry/traces/{traceId}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<Span> spans = [];
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                spans = Parse(await response.Content.ReadAsStringAsync());
                if (requiredServices.All(name => spans.Any(s => s.Service == name && s.Kind == 2))
                    && spans.Any(s => s.Service == Ingress.Cli.LocalSystem.LocalTopology.GatewayServiceName))
                {
                    return spans;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"trace {traceId} did not reach the viewer complete within 30 s; it had: " +
                    string.Join(", ", spans.Select(s => $"{s.Service}/{s.Name}")));
        return spans;
    }

    private static List<Span> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<Span>();
        foreach (var resource in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .First(a => a.GetProperty("key").GetString() == "service.name")
                .GetProperty("value").GetProperty("stringValue").GetString()!;
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    spans.Add(new Span(
                        service,
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) && parent.GetString() is { Length: > 0 } p ? p : null,
                        span.GetProperty("name").GetString()!,
                        span.TryGetProperty("kind", out var kind) ? kind.GetInt32() : 0));
                }
            }
        }

        return spans;
    }

    private sealed record Span(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, int Kind);
}

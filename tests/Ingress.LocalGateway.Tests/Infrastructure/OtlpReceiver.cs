using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>One span as a collector received it.</summary>
public sealed record ReceivedSpan(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    int Kind,
    int StatusCode,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>An attribute's value, or null.</summary>
    public string? Tag(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}

/// <summary>
/// An OTLP/HTTP collector on 127.0.0.1:0 (<c>POST /v1/traces</c>, protobuf) that decodes every span it receives.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri TracesUrl { get; private set; } = null!;
    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            foreach (var span in OtlpTraceDecoder.Decode(buffer.ToArray()))
            {
                receiver._spans.Enqueue(span);
            }

            context.Response.ContentType = "application/x-protobuf";
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.TracesUrl = new Uri(new Uri(address), "/v1/traces");
        return receiver;
    }

    /// <summary>Waits (polling, 20 s at most) until the spans of a trace satisfy <paramref name="complete"/>.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<ReceivedSpan>, bool> complete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var spans = Spans.Where(s => s.TraceId == traceId).ToList();
            if (complete(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"trace {traceId} not complete after 20 s; received: " +
                            string.Join(", ", Spans.Select(s => $"{s.TraceId}/{s.Name}")));
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

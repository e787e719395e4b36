using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>What the backend saw of one request.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string Host, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A header's value (joined), or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A real HTTP backend on 127.0.0.1:0 that records every request and answers with a body naming itself and the path,
/// or with what a test configured for a path.
/// </summary>
public sealed class RecordingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _handlers = new(StringComparer.Ordinal);

    private RecordingBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }
    public int Port { get; private set; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];
    public RecordedRequest Last => _requests.Last();

    /// <summary>Answers a path (without query) with a handler instead of the default body.</summary>
    public void On(string path, Func<HttpContext, Task> handler) => _handlers[path] = handler;

    /// <summary>Answers a path with a fixed status and body.</summary>
    public void On(string path, int status, string body) => On(path, async c =>
    {
        c.Response.StatusCode = status;
        await c.Response.WriteAsync(body);
    });

    public static async Task<RecordingBackend> StartAsync(string name = "backend")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            // Larger than the gateway's own limits, so that what the gateway lets through is what a test sees.
            k.Limits.MaxRequestLineSize = 128 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 128 * 1024;
            k.Limits.MaxRequestHeaderCount = 200;
        });
        var app = builder.Build();
        var backend = new RecordingBackend(app, name);
        app.Run(async context =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            backend._requests.Enqueue(new RecordedRequest(context.Request.Method, raw, context.Request.Headers.Host.ToString(), headers));
            if (backend._handlers.TryGetValue(context.Request.Path.Value ?? "", out var handler))
            {
                await handler(context);
                return;
            }

            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"{name} {raw}");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

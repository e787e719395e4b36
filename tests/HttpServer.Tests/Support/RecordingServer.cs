using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HttpServer.Tests.Support;

/// <summary>A downstream on real Kestrel that records the headers of every request it receives and answers a set status.</summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Dictionary<string, string>> _requests = new();

    private RecordingServer(WebApplication app, int status)
    {
        _app = app;
        app.Run(context =>
        {
            var recorded = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            recorded[":method"] = context.Request.Method;
            recorded[":path"] = context.Request.Path.Value ?? "";
            _requests.Enqueue(recorded);
            context.Response.StatusCode = status;
            return context.Response.WriteAsync("recorded");
        });
    }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<Dictionary<string, string>> Requests => [.. _requests];

    public static async Task<RecordingServer> StartAsync(int status = 200)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new RecordingServer(builder.Build(), status);
        await server._app.StartAsync();
        server.Address = new Uri(server._app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ingress.LocalGateway.Hosting.Listeners;
using Ingress.LocalGateway.Runtime;
using Ingress.LocalGateway.Runtime.Metrics;

namespace Ingress.LocalGateway.Hosting.Admin;

/// <summary>
/// The admin listener, like Envoy's: <c>/ready</c> (200 once a config is loaded and every listener is bound, else
/// 503), <c>/config_dump</c> and <c>/stats/prometheus</c>.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AdminServer(WebApplication app, IPEndPoint bound)
    {
        _app = app;
        BoundAddress = bound;
    }

    /// <summary>The address actually bound.</summary>
    public IPEndPoint BoundAddress { get; }

    /// <summary>Binds and starts the admin listener.</summary>
    public static async Task<AdminServer> StartAsync(IPEndPoint address, SnapshotHolder snapshots, ListenerManager listeners,
        IstioMetrics metrics, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRouting();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(address);
        });
        var app = builder.Build();
        app.UseRouting();
        // RequestDelegate handlers (not minimal-API delegates, which bind parameters by reflection): the native build.
        app.MapGet("/ready", context => (snapshots.HasConfig && listeners.AllBound
            ? Results.Text("LIVE\n", "text/plain", statusCode: StatusCodes.Status200OK)
            : Results.Text("PRE_INITIALIZING\n", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable)).ExecuteAsync(context));
        app.MapGet("/config_dump", context => Results.Text(ConfigDump.ToJson(snapshots.Current), "application/json").ExecuteAsync(context));
        app.MapGet("/stats/prometheus", context => Results.Text(metrics.Render(), "text/plain; version=0.0.4").ExecuteAsync(context));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"cannot listen on {address} for the admin listener: {e.Message}", e);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdminServer(app, new IPEndPoint(address.Address, new Uri(bound).Port));
    }

    /// <summary>Stops the admin listener.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

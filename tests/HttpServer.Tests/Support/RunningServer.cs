using HttpServer.AccessLog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HttpServer.Tests.Support;

/// <summary>One httpserver instance on real Kestrel, 127.0.0.1 and a free port, with its access log captured.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, Uri address, LineCollector accessLog)
    {
        App = app;
        Address = address;
        AccessLog = accessLog;
        Client = CreateClient(address);
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public LineCollector AccessLog { get; }

    public HttpClient Client { get; }

    /// <summary>Starts an instance; <paramref name="settings"/> are passed as command-line configuration (highest precedence).</summary>
    public static async Task<RunningServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var merged = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AccessLog:Format"] = "Json",
            ["Shutdown:DrainDelaySeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        var accessLog = new LineCollector();
        var app = HttpServerApp.Build(
            [.. merged.Select(kv => $"--{kv.Key}={kv.Value}")],
            builder =>
            {
                builder.Services.AddSingleton(new AccessLogOutput { Writer = accessLog });
                builder.Logging.ClearProviders();
            });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningServer(app, new Uri(address), accessLog);
    }

    /// <summary>A client that is not itself traced: the servers' instrumentation lives in this same process and would
    /// otherwise start a client span for the test's own request and rewrite the trace headers the test sends.</summary>
    public static HttpClient CreateClient(Uri address) =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

using HttpServer.AccessLog;
using HttpServer.Downstream;
using HttpServer.Headers;
using HttpServer.Hello;
using HttpServer.Probes;
using HttpServer.ServiceDefaults;
using HttpServer.Shutdown;
using HttpServer.TestDoubles;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;

namespace HttpServer;

/// <summary>Builds and runs the httpserver application; tests use <see cref="Build"/> to start instances on port 0.</summary>
public static class HttpServerApp
{
    /// <summary>The address used when nothing configures one: loopback only, so a local run is never exposed.</summary>
    public const string DefaultLocalUrl = "http://127.0.0.1:5080";

    private static readonly Dictionary<string, string?> QuietLoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>Builds the application. <paramref name="configure"/> lets a caller add configuration or replace services.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Lowest-precedence defaults, so a run without appsettings.json (another working directory) is still quiet
        // on the hot path; appsettings, environment and command line all override them.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = QuietLoggingDefaults });
        configure?.Invoke(builder);

        if (!HasConfiguredAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultLocalUrl);
        }

        builder.AddServiceDefaults();
        builder.AddGracefulShutdown();
        builder.AddAccessLog();
        builder.AddResponseHeaders();
        builder.AddDownstream();
        builder.AddHello();
        builder.AddTestDoubles();

        var app = builder.Build();

        app.UseAccessLog();
        app.UseResponseHeaders();
        app.UseRouting();
        app.UseServiceDefaults();

        app.MapDefaultEndpoints();
        app.MapHelloApi();
        app.MapTestDoublesApi();
        return app;
    }

    /// <summary>Runs the service until SIGTERM/Ctrl+C; a configuration error ends it with exit code 2 and one message.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception ex) when (IsConfigurationError(ex))
        {
            await Console.Error.WriteLineAsync($"httpserver: configuration error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (IsConfigurationError(ex))
        {
            await Console.Error.WriteLineAsync($"httpserver: configuration error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Binding errors ("Failed to convert configuration value at 'Hello:MaxDelayMs' ...") come from the binder as
    // InvalidOperationException; validation errors as OptionsValidationException. Both already name the key.
    private static bool IsConfigurationError(Exception ex) =>
        ex is OptionsValidationException
        || (ex is InvalidOperationException && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal));

    private static bool HasConfiguredAddress(ConfigurationManager configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}

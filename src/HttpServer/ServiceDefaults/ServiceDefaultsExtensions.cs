using HttpServer.Probes;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;

namespace HttpServer.ServiceDefaults;

/// <summary>Wires tracing, Prometheus metrics and the health probes once, in the manner of Aspire's ServiceDefaults.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Default service name when OTEL_SERVICE_NAME is not set.</summary>
    public const string DefaultServiceName = "httpserver";

    private static readonly string[] UntracedPaths = ["/healthz", "/readyz", "/metrics"];

    /// <summary>Registers OpenTelemetry (W3C + baggage + B3 propagation, OTLP only when configured), metrics and health checks.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // One propagator for the whole process: ASP.NET Core instrumentation extracts with it and HttpClient
        // instrumentation injects with it. W3C comes first, so when both arrive, traceparent wins.
        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator(
        [
            new TraceContextPropagator(),
            new BaggagePropagator(),
            new B3Propagator(),
        ]));

        var configuration = builder.Configuration;
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName;
        var version = VersionInfo.From(configuration).Version;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !UntracedPaths.Contains(context.Request.Path.Value, StringComparer.OrdinalIgnoreCase))
                .AddHttpClientInstrumentation());

        // Nothing leaves the process unless the standard OTLP variable names a collector.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            otel.WithMetrics(metrics => metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("System.Runtime"))
                .WithLogging()
                .UseOtlpExporter();
        }

        builder.Services.AddSingleton<PrometheusMetrics>();
        builder.Services.AddSingleton<ReadinessState>();
        builder.Services.AddHealthChecks()
            .AddCheck<ReadinessHealthCheck>("ready", tags: [ReadinessHealthCheck.Tag]);
        return builder;
    }

    /// <summary>Adds the Prometheus HTTP metrics middleware (after routing, so the route pattern is a label).</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<PrometheusMetrics>();
        app.UseHttpMetrics(options => options.SetMetricFactory(metrics.Factory));
        return app;
    }

    /// <summary>Maps <c>/healthz</c> (liveness), <c>/readyz</c> (readiness) and <c>/metrics</c>, in every environment.</summary>
    public static IEndpointRouteBuilder MapDefaultEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Liveness runs no check: it answers 200 as long as the process can serve a request.
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessHealthCheck.Tag),
        });

        var metrics = endpoints.ServiceProvider.GetRequiredService<PrometheusMetrics>();
        endpoints.MapMetrics("/metrics", metrics.Registry);
        return endpoints;
    }
}

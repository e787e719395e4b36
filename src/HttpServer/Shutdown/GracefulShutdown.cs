using HttpServer.Probes;
using Microsoft.Extensions.Options;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace HttpServer.Shutdown;

/// <summary>Orders shutdown: fail readiness, wait the drain delay, let the server finish in-flight requests, flush telemetry.</summary>
/// <remarks>
/// The host calls every <see cref="IHostedLifecycleService.StoppingAsync"/> before any <see cref="IHostedService.StopAsync"/>,
/// and the web server is one of those hosted services; so the delay here runs while Kestrel still accepts requests.
/// <see cref="StoppedAsync"/> runs after the server has stopped.
/// </remarks>
public sealed partial class GracefulShutdown(
    ReadinessState readiness,
    IOptions<ShutdownOptions> options,
    IServiceProvider services,
    ILogger<GracefulShutdown> logger) : IHostedLifecycleService
{
    private const int FlushTimeoutMs = 5000;
    private readonly List<Action> _flushes = [];

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.MarkShuttingDown();
        var delay = TimeSpan.FromSeconds(options.Value.DrainDelaySeconds);
        LogDraining(logger, delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The grace period ran out during the drain: go on stopping.
        }
    }

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Requests are finished; send what telemetry is buffered before the process exits.
        foreach (var flush in _flushes)
        {
            flush();
        }

        LogStopped(logger);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // Resolved now: by the time StoppedAsync runs, a disposing host may no longer resolve services.
        if (services.GetService<TracerProvider>() is { } tracer)
        {
            _flushes.Add(() => tracer.ForceFlush(FlushTimeoutMs));
        }

        if (services.GetService<MeterProvider>() is { } meter)
        {
            _flushes.Add(() => meter.ForceFlush(FlushTimeoutMs));
        }

        if (services.GetService<LoggerProvider>() is { } logs)
        {
            _flushes.Add(() => logs.ForceFlush(FlushTimeoutMs));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Draining for {Seconds} s before the server stops")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Server stopped; telemetry flushed")]
    private static partial void LogStopped(ILogger logger);
}

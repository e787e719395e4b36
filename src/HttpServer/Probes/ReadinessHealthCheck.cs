using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HttpServer.Probes;

/// <summary>The readiness check behind <c>/readyz</c>.</summary>
public sealed class ReadinessHealthCheck(ReadinessState state) : IHealthCheck
{
    /// <summary>Tag that selects the checks <c>/readyz</c> runs.</summary>
    public const string Tag = "ready";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsReady
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(state.IsShuttingDown ? "shutting down" : "switched off"));
}

using OpenTelemetry.Trace;

namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// Applies the decision the gateway already made for the span it is about to start (the caller's B3/W3C decision,
/// else the request-id based one), so the SDK's sampler agrees with what Envoy would do. The decision is handed over
/// on the starting thread: <see cref="System.Diagnostics.ActivitySource.StartActivity(string, System.Diagnostics.ActivityKind)"/>
/// calls the sampler synchronously.
/// </summary>
internal sealed class GatewaySampler : Sampler
{
    private static readonly SamplingResult Sample = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);

    [ThreadStatic]
    private static bool t_next;

    /// <summary>The decision for the next span started on this thread.</summary>
    public static void Next(bool sampled) => t_next = sampled;

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) => t_next ? Sample : Drop;
}

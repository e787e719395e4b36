
namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// Decides whether the request is traced and starts the gateway's span, right after the edge headers (the new
/// x-request-id) as Envoy's connection manager does: a B3 or W3C decision from the caller wins, else the request id
/// decides at the Telemetry resource's <c>randomSamplingPercentage</c>, and the decision is packed into x-request-id.
/// Only in the pipeline when tracing is on.
/// </summary>
public sealed class TracingStage : IRequestStage
{
    private readonly GatewayTracer _tracer;

    public TracingStage(GatewayTracer tracer) => _tracer = tracer;

    /// <inheritdoc />
    public ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var policy = request.Snapshot.Tracing;
        if (policy.Disabled)
        {
            // disableSpanReporting: Istio gives the proxy no tracing configuration at all.
            return ValueTask.FromResult(false);
        }

        var headers = request.Http.Request.Headers;
        var incoming = IncomingTraceContext.Read(headers);
        if (incoming.Malformed)
        {
            // Envoy's Zipkin extractor gives up on an unreadable B3 context: the request is not traced.
            return ValueTask.FromResult(false);
        }

        request.RequestId = RequestIdSampling.Decide(request.RequestId, policy.SamplingPercentage,
            headers.ContainsKey("x-client-trace-id"), policy.UseRequestIdForSampling, out var traced);
        headers["x-request-id"] = request.RequestId;
        request.Trace = _tracer.StartRequest(request, incoming, incoming.Sampled ?? traced);
        return ValueTask.FromResult(false);
    }
}

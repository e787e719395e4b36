
namespace Ingress.LocalGateway.Runtime.Policies;

/// <summary>
/// Envoy's fault filter for the matched route: a fixed delay (<c>DI</c>) for the configured share of requests, then
/// an abort (<c>FI</c>, <c>fault filter abort</c>) for its own share, answered locally without an upstream call.
/// Istio puts it after authentication and authorization and before CORS, so an aborted reply has no CORS headers.
/// </summary>
public sealed class FaultStage : IRequestStage
{
    /// <inheritdoc />
    public async ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var fault = request.Route!.Policies.Fault;
        if (fault is null)
        {
            return false;
        }

        if (fault.Delay is { } delay && delay >= TimeSpan.FromMilliseconds(1) && fault.DelayFraction.Draw())
        {
            request.AddResponseFlag("DI");
            try
            {
                // The timer behind Task.Delay ticks coarsely and can fire a millisecond early; the fault promises at
                // least fixedDelay, so wait out any remainder measured on the request's own clock.
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var remaining = delay;
                while (remaining > TimeSpan.Zero)
                {
                    await Task.Delay(remaining, request.Http.RequestAborted).ConfigureAwait(false);
                    remaining = delay - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                }
            }
            catch (OperationCanceledException)
            {
                // The client went away during the delay; the pipeline logs it as DC.
                return true;
            }
        }

        if (fault.HasAbort && fault.AbortFraction.Draw())
        {
            await LocalReply.FaultAbortReply(request, fault.AbortHttpStatus, fault.AbortGrpcStatus).ConfigureAwait(false);
            return true;
        }

        return false;
    }
}

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// One concern of request handling (identity headers, routing, local actions, faults, forwarding…). Stages run in
/// order; a stage that answers the request itself returns true and the rest are skipped.
/// </summary>
public interface IRequestStage
{
    /// <summary>Handles its concern; true when the response is complete.</summary>
    ValueTask<bool> InvokeAsync(GatewayRequest request);
}

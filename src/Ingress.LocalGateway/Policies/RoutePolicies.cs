namespace Ingress.LocalGateway.Policies;

/// <summary>The per-route policies beyond matching and the action: retries, timeout, fault, CORS, mirror.</summary>
public sealed record RoutePolicies
{
    /// <summary>No policy.</summary>
    public static RoutePolicies None { get; } = new();

    /// <summary>The route timeout; null means none (Istio sets Envoy's route timeout to 0).</summary>
    public TimeSpan? Timeout { get; init; }
}

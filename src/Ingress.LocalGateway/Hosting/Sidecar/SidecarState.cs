using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Security;

namespace Ingress.LocalGateway.Hosting.Sidecar;

/// <summary>
/// What a workload proxy enforces, compiled from one config: the effective PeerAuthentication and the request
/// security (RequestAuthentications, AuthorizationPolicies) of its workload. Swapped whole on reload.
/// </summary>
public sealed record SidecarState
{
    public required PeerAuthenticationPolicy PeerAuthentication { get; init; }
    public required WorkloadSecurity Security { get; init; }

    /// <summary>The config version (1 for the first load).</summary>
    public long Version { get; init; }
}

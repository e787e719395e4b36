using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Security;

namespace Ingress.LocalGateway.Runtime.Sidecar;

/// <summary>
/// What a workload proxy enforces, compiled from one config: the effective PeerAuthentication and the request
/// security (RequestAuthentications, AuthorizationPolicies) of its workload. Swapped whole on reload.
/// </summary>
public sealed record SidecarState
{
    public required PeerAuthenticationPolicy PeerAuthentication { get; init; }
    /// <summary>The workload's RequestAuthentications and AuthorizationPolicies, with their JWT key sources.</summary>
    public required ActiveSecurity Security { get; init; }

    /// <summary>How request paths are normalized before the policies see them (MeshConfig <c>pathNormalization</c>).</summary>
    public PathNormalization PathNormalization { get; init; } = PathNormalization.Base;

    /// <summary>The config version (1 for the first load).</summary>
    public long Version { get; init; }
}

namespace Ingress.LocalGateway.Snapshot.Security;

/// <summary>The mutual TLS mode a workload port accepts.</summary>
public enum MtlsMode
{
    /// <summary>Plain text only.</summary>
    Disable,

    /// <summary>Mutual TLS and plain text.</summary>
    Permissive,

    /// <summary>Mutual TLS only.</summary>
    Strict,
}

/// <summary>
/// The effective PeerAuthentication of one workload (see <c>Compile/Security/PeerAuthentications</c>): its mutual TLS
/// mode and the port-level modes that override it.
/// </summary>
public sealed record PeerAuthenticationPolicy(MtlsMode Mode, IReadOnlyDictionary<int, MtlsMode> PortModes)
{
    public MtlsMode ModeForPort(int port) => PortModes.TryGetValue(port, out var mode) ? mode : Mode;
}

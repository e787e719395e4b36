using Ingress.LocalGateway.Snapshot;

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// Holds the snapshot being served. Readers take it with one volatile read; a reload replaces it with one atomic
/// exchange, so a request sees either the old config or the new one, never a mix.
/// </summary>
public sealed class SnapshotHolder
{
    private GatewaySnapshot _current = GatewaySnapshot.Empty;

    /// <summary>The snapshot to serve new requests with.</summary>
    public GatewaySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether a config has been loaded.</summary>
    public bool HasConfig => Current.Version > 0;

    /// <summary>Swaps in a new snapshot and returns the old one.</summary>
    public GatewaySnapshot Swap(GatewaySnapshot next) => Interlocked.Exchange(ref _current, next);
}

using Ingress.LocalGateway.Snapshot;

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// Holds the snapshot being served. Readers take it with one volatile read; a reload replaces it with one atomic
/// exchange, so a request sees either the old config or the new one, never a mix.
/// </summary>
public sealed class SnapshotHolder
{
    private ServingSnapshot _current = ServingSnapshot.Empty;

    /// <summary>The snapshot (with its running state) to serve new requests with.</summary>
    public ServingSnapshot Serving => Volatile.Read(ref _current);

    /// <summary>The compiled snapshot being served.</summary>
    public GatewaySnapshot Current => Serving.Snapshot;

    /// <summary>Whether a config has been loaded.</summary>
    public bool HasConfig => Current.Version > 0;

    /// <summary>Swaps in a new snapshot and returns the old one.</summary>
    public ServingSnapshot Swap(ServingSnapshot next) => Interlocked.Exchange(ref _current, next);
}

using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// A compiled snapshot with the running state it is served with: each cluster's <see cref="ClusterRuntime"/> (client,
/// balancer, outlier detection, circuit breakers) and the gateway's security with its JWT key sources. Built when a
/// snapshot is swapped in; a request keeps the one it arrived with.
/// </summary>
public sealed class ServingSnapshot
{
    private readonly ClusterRuntime[] _clusters;

    public ServingSnapshot(GatewaySnapshot snapshot, ClusterRuntime[] clusters, ActiveSecurity security)
    {
        if (clusters.Length != snapshot.ClusterList.Count)
        {
            throw new ArgumentException("one running state per cluster of the snapshot is needed", nameof(clusters));
        }

        Snapshot = snapshot;
        _clusters = clusters;
        Security = security;
    }

    /// <summary>Nothing served yet.</summary>
    public static ServingSnapshot Empty { get; } = new(GatewaySnapshot.Empty, [], ActiveSecurity.None);

    public GatewaySnapshot Snapshot { get; }

    /// <summary>The running state of every cluster, by <see cref="Cluster.Index"/>.</summary>
    public IReadOnlyList<ClusterRuntime> Clusters => _clusters;

    /// <summary>The gateway workload's security as enforced.</summary>
    public ActiveSecurity Security { get; }

    /// <summary>The running state of one of the snapshot's clusters.</summary>
    public ClusterRuntime For(Cluster cluster) => _clusters[cluster.Index];

    /// <summary>The running state of the snapshot's cluster of that name (<c>outbound|80||host</c>).</summary>
    public ClusterRuntime Cluster(string name) => For(Snapshot.Clusters[name]);
}

namespace Ingress.LocalGateway.Snapshot.Upstreams;

/// <summary>
/// An Envoy cluster <c>outbound|port|subset|host</c> as compiled: its endpoints, its merged DestinationRule policy and
/// how its connections are secured. Pure data: the running state (client, balancer, outlier detection, circuit
/// breakers) is the runtime's, which keeps one per cluster across reloads while <see cref="StateKey"/> stays the same.
/// </summary>
public sealed record Cluster
{
    public required string Name { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? Subset { get; init; }

    /// <summary>Its position in <see cref="GatewaySnapshot.ClusterList"/>: where the runtime keeps its state.</summary>
    public required int Index { get; init; }

    /// <summary>The endpoints selected by host, port and subset labels; empty means 503 UH.</summary>
    public required IReadOnlyList<EndpointDefinition> Endpoints { get; init; }

    /// <summary>The merged DestinationRule policy of this cluster.</summary>
    public required UpstreamPolicy Policy { get; init; }

    /// <summary>
    /// The subject alternative names accepted from the peer when the cluster is reached with Istio mutual TLS (empty:
    /// any identity of the mesh), or null when it is not (plain text, or the DestinationRule's own TLS in
    /// <see cref="UpstreamPolicy.Tls"/>).
    /// </summary>
    public IReadOnlyList<string>? MeshTls { get; init; }

    /// <summary>What the running state was built for: equal keys mean the state (ejections, counters, pool) is kept.</summary>
    public string StateKey =>
        string.Join(';', Endpoints.Select(e => e.Prefix + "{" + string.Join(',', e.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => l.Key + "=" + l.Value)) + "}")) + "#" + Policy.Fingerprint
        + (MeshTls is null ? "" : "#ISTIO_MUTUAL|" + string.Join(',', MeshTls));

    /// <summary>Istio's cluster name for a destination.</summary>
    public static string NameFor(string host, int port, string? subset) => $"outbound|{port}|{subset}|{host}";
}

using Ingress.LocalGateway.Endpoints;

namespace Ingress.LocalGateway.Proxying;

/// <summary>
/// An Envoy cluster <c>outbound|port|subset|host</c>: its endpoints, its pooled client and how it picks an endpoint.
/// Immutable per snapshot; the client is shared across snapshots while the cluster's settings stay the same.
/// </summary>
public sealed class Cluster
{
    private int _next = -1;

    public required string Name { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? Subset { get; init; }

    /// <summary>The endpoints selected by host, port and subset labels; empty means 503 UH.</summary>
    public required IReadOnlyList<EndpointDefinition> Endpoints { get; init; }

    /// <summary>The pooled client used for every request of this cluster.</summary>
    public required HttpMessageInvoker Client { get; init; }

    /// <summary>Picks the next endpoint round robin, or null when there is none.</summary>
    public EndpointDefinition? PickEndpoint()
    {
        var endpoints = Endpoints;
        if (endpoints.Count == 0)
        {
            return null;
        }

        if (endpoints.Count == 1)
        {
            return endpoints[0];
        }

        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)endpoints.Count);
        return endpoints[index];
    }

    /// <summary>Istio's cluster name for a destination.</summary>
    public static string NameFor(string host, int port, string? subset) => $"outbound|{port}|{subset}|{host}";
}

namespace Ingress.LocalGateway.Snapshot.Upstreams;

/// <summary>
/// One local endpoint of a Service port: traffic for <see cref="Host"/>:<see cref="Port"/> goes to <see cref="Address"/>.
/// Labels select it into DestinationRule subsets (<c>version=v1</c>).
/// </summary>
public sealed record EndpointDefinition
{
    /// <summary>The Service's fully qualified name, e.g. <c>httpserver.httpserver.svc.cluster.local</c>.</summary>
    public required string Host { get; init; }

    /// <summary>The Service port.</summary>
    public required int Port { get; init; }

    /// <summary>Where it is reached locally: <c>http://127.0.0.1:5080</c> (scheme, host and port only).</summary>
    public required Uri Address { get; init; }

    /// <summary>The endpoint's labels (the pod labels in a cluster).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>host:port</c> of <see cref="Address"/>, as Envoy prints an upstream host.</summary>
    public string AddressText => $"{Address.Host}:{Address.Port}";

    /// <summary>The scheme and authority used as the forwarding prefix.</summary>
    public string Prefix => Address.GetLeftPart(UriPartial.Authority);
}

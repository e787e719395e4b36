using System.Net;
using Ingress.LocalGateway.Runtime.Security.Mtls;

namespace Ingress.LocalGateway.Hosting.Sidecar;

/// <summary>How a workload proxy (<c>ingress sidecar</c>) is started: whose proxy it is, where it listens and where it forwards.</summary>
public sealed record SidecarOptions
{
    /// <summary>Files or directories of YAML (PeerAuthentication, AuthorizationPolicy, RequestAuthentication); watched for changes.</summary>
    public IReadOnlyList<string> ConfigPaths { get; init; } = [];

    /// <summary>The workload's namespace (the <c>ns</c> of its SPIFFE identity).</summary>
    public required string Namespace { get; init; }

    /// <summary>The workload's service account (the <c>sa</c> of its SPIFFE identity).</summary>
    public required string ServiceAccount { get; init; }

    /// <summary>The workload's pod labels, which policy selectors match.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The inbound listener (mutual TLS and/or plain text, as PeerAuthentication says). Port 0 picks a free port.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The service the proxy stands in front of, on loopback: <c>http://127.0.0.1:8080</c>.</summary>
    public required Uri Forward { get; init; }

    /// <summary>
    /// The workload port PeerAuthentication <c>portLevelMtls</c> and AuthorizationPolicy <c>ports</c> see (the
    /// container port in a cluster); the port of <see cref="Forward"/> unless set.
    /// </summary>
    public int? WorkloadPort { get; init; }

    /// <summary>
    /// Plain-text listeners for the service's own calls into the mesh (Istio's outbound side, one destination each):
    /// a request to the listener is sent to the target with mutual TLS, presenting this workload's identity.
    /// </summary>
    public IReadOnlyList<OutboundRoute> Outbound { get; init; } = [];

    /// <summary>The folder of the local mesh CA (created when absent).</summary>
    public string MeshCaDirectory { get; init; } = Path.Combine(".local", "mesh-ca");

    /// <summary>How long a workload certificate is valid; it is re-issued at half of it (Istio's default is 24 h).</summary>
    public TimeSpan CertificateLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The namespace of documents that name none (as <c>kubectl apply -n</c>).</summary>
    public string DefaultNamespace { get; init; } = "default";

    /// <summary>How long a change to the watched files must be quiet before it is loaded.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long stopping waits for requests in flight.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The workload's SPIFFE identity.</summary>
    public string SpiffeId => MeshCa.SpiffeId(Namespace, ServiceAccount);

    /// <summary>The port policies see.</summary>
    public int EffectiveWorkloadPort => WorkloadPort ?? Forward.Port;
}

/// <summary>One outbound listener of a workload proxy: where the service calls, and the mesh workload it reaches.</summary>
/// <param name="Listen">A plain-text loopback address the service calls.</param>
/// <param name="Target">The destination workload's proxy (its inbound listener), reached with mutual TLS.</param>
public sealed record OutboundRoute(IPEndPoint Listen, Uri Target);

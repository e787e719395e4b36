using System.Net;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Runtime.Tracing;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway;

/// <summary>How the local gateway is started: what it reads, who it is, where it listens and where traffic goes.</summary>
public sealed record GatewayOptions
{
    /// <summary>Files or directories of YAML (or <c>-</c> for standard input) to serve; watched for changes.</summary>
    public IReadOnlyList<string> ConfigPaths { get; init; } = [];

    /// <summary>Overrides of where a Gateway port listens (<c>--listen 443=127.0.0.1:9443</c>).</summary>
    public IReadOnlyDictionary<int, IPEndPoint> ListenOverrides { get; init; } = new Dictionary<int, IPEndPoint>();

    /// <summary>Where each Service's traffic goes locally (<c>--endpoint</c> and <c>--endpoints</c>).</summary>
    public IReadOnlyList<EndpointDefinition> Endpoints { get; init; } = [];

    /// <summary>The gateway workload's namespace: Secrets are read from it and exportTo is checked against it.</summary>
    public string Namespace { get; init; } = "istio-system";

    /// <summary>The gateway workload's labels, which a Gateway's <c>spec.selector</c> must be a subset of.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } =
        new Dictionary<string, string> { ["istio"] = "ingressgateway" };

    /// <summary>The namespace of documents that do not name one (what <c>kubectl apply -n</c> would give them).</summary>
    public string DefaultNamespace { get; init; } = "default";

    /// <summary>The admin listener (<c>/ready</c>, <c>/config_dump</c>, <c>/stats/prometheus</c>); null disables it.</summary>
    public IPEndPoint? Admin { get; init; } = new(IPAddress.Loopback, 15000);

    /// <summary>Access log encoding on standard output.</summary>
    public AccessLogFormat AccessLog { get; init; } = AccessLogFormat.Text;

    /// <summary>How long a change to the watched files must be quiet before it is loaded.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Trusted proxies in front of the gateway (Istio's <c>gatewayTopology.numTrustedProxies</c>): how many
    /// right-most <c>x-forwarded-for</c> entries are trusted when finding the client address (<c>remoteIpBlocks</c>).
    /// </summary>
    public int NumTrustedProxies { get; init; }

    /// <summary>
    /// The local mesh CA's folder (<c>--mesh-ca</c>): with it the gateway has the identity
    /// <see cref="MeshIdentity"/> and reaches ISTIO_MUTUAL and sidecar endpoints with mutual TLS; without it such
    /// endpoints are reached in plain text and a warning says so.
    /// </summary>
    public string? MeshCaDirectory { get; init; }

    /// <summary>The SPIFFE identity the gateway presents to mesh workloads.</summary>
    public string MeshIdentity { get; init; } = MeshCa.IngressGatewayIdentity;

    /// <summary>
    /// Which fields the local gateway does not implement may be left out while the rest is served (<c>--allow-unsupported</c>);
    /// by default a config using any of them is refused.
    /// </summary>
    public UnsupportedFields AllowUnsupported { get; init; } = UnsupportedFields.None;

    /// <summary>Trace export (OTLP); off unless an OTLP endpoint is configured.</summary>
    public TracingOptions Tracing { get; init; } = TracingOptions.Disabled;

    /// <summary>
    /// How request paths are normalized before routing and policies: the mesh's <c>pathNormalization</c>
    /// (<c>--path-normalization</c>, or a MeshConfig file's); BASE, Istio's default, unless set.
    /// </summary>
    public PathNormalization PathNormalization { get; init; } = PathNormalization.Base;

    /// <summary>How long SIGTERM waits for requests in flight before closing connections.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where a Gateway port listens: the override, else 127.0.0.1:P+8000 below 1024, else 127.0.0.1:P.</summary>
    public IPEndPoint ListenAddressFor(int gatewayPort) =>
        ListenOverrides.TryGetValue(gatewayPort, out var address)
            ? address
            : new IPEndPoint(IPAddress.Loopback, gatewayPort < 1024 ? gatewayPort + 8000 : gatewayPort);
}

/// <summary>The access log encodings Istio offers, plus off.</summary>
public enum AccessLogFormat
{
    Text,
    Json,
    Off,
}

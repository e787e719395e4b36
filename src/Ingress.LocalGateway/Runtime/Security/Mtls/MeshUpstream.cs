using System.Security.Cryptography.X509Certificates;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Runtime.Security.Mtls;

/// <summary>
/// A proxy's identity in the local mesh for the connections it opens (the gateway toward its upstreams): its
/// workload certificate from the mesh CA, and the root it verifies peers against. It also decides which endpoints
/// are reached with Istio mutual TLS, as Istio does: every endpoint when the DestinationRule says
/// <c>ISTIO_MUTUAL</c>, and, when the DestinationRule sets no TLS, the endpoints that run a sidecar (auto mTLS: the
/// endpoint label <c>security.istio.io/tlsMode: istio</c>, which Istio's injector puts on every injected pod).
/// </summary>
public sealed class MeshUpstream : IDisposable
{
    /// <summary>The endpoint label that marks a workload with a sidecar (Istio's own label).</summary>
    public const string TlsModeLabel = "security.istio.io/tlsMode";

    /// <summary>The label's value for a sidecar that speaks Istio mutual TLS.</summary>
    public const string TlsModeIstio = "istio";

    private readonly MeshCa _ca;

    public MeshUpstream(string meshCaDirectory, string spiffeId, TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        _ca = MeshCa.LoadOrCreate(meshCaDirectory);
        Identity = new WorkloadCertificate(_ca, spiffeId, lifetime ?? TimeSpan.FromHours(24), time);
    }

    /// <summary>The certificate presented to upstreams.</summary>
    public WorkloadCertificate Identity { get; }

    /// <summary>The mesh root peers must chain to.</summary>
    public X509Certificate2 Root => _ca.Root;

    /// <summary>The client for a cluster reached with Istio mutual TLS.</summary>
    public HttpMessageInvoker CreateClient(IReadOnlyList<string> subjectAltNames) =>
        MeshClientTls.CreateClient(Identity, Root, subjectAltNames);

    /// <summary>Whether an endpoint runs a sidecar (carries <c>security.istio.io/tlsMode=istio</c>).</summary>
    public static bool IsSidecar(EndpointDefinition endpoint) =>
        endpoint.Labels.TryGetValue(TlsModeLabel, out var mode) && mode == TlsModeIstio;

    /// <summary>
    /// Whether requests to <paramref name="endpoint"/> use Istio mutual TLS under the DestinationRule TLS settings
    /// <paramref name="tls"/> (null when no DestinationRule sets TLS).
    /// </summary>
    public static bool UsesMeshTls(ClientTlsSettings? tls, EndpointDefinition endpoint) =>
        tls?.Mode?.ToUpperInvariant() switch
        {
            "ISTIO_MUTUAL" => true,
            null => IsSidecar(endpoint),
            _ => false,
        };

    /// <summary>The endpoint as reached with TLS (the same address, scheme https).</summary>
    public static EndpointDefinition WithTls(EndpointDefinition endpoint) =>
        endpoint.Address.Scheme == Uri.UriSchemeHttps
            ? endpoint
            : endpoint with { Address = new UriBuilder(endpoint.Address) { Scheme = Uri.UriSchemeHttps, Port = endpoint.Address.Port }.Uri };

    public void Dispose() => _ca.Dispose();
}

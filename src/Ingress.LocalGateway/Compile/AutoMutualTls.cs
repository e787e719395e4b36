using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Which endpoints a proxy reaches with Istio mutual TLS, as Istio decides it: every endpoint when the DestinationRule
/// says <c>ISTIO_MUTUAL</c>, and, when the DestinationRule sets no TLS, the endpoints that run a sidecar (auto mTLS:
/// the endpoint label <c>security.istio.io/tlsMode: istio</c>, which Istio's injector puts on every injected pod).
/// </summary>
public static class AutoMutualTls
{
    /// <summary>The endpoint label that marks a workload with a sidecar (Istio's own label).</summary>
    public const string TlsModeLabel = "security.istio.io/tlsMode";

    /// <summary>The label's value for a sidecar that speaks Istio mutual TLS.</summary>
    public const string TlsModeIstio = "istio";

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
}

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>What each overlay under deploy/overlays must render: exactly these resources (Kind ns/name).</summary>
internal static class OverlayExpectations
{
    private static readonly string[] Workload =
    [
        "Namespace httpserver",
        "ServiceAccount httpserver/httpserver",
        "Deployment httpserver/httpserver",
        "Deployment httpserver/httpserver-v2",
        "PodDisruptionBudget httpserver/httpserver",
        "Service httpserver/httpserver",
    ];

    private static readonly string[] Edge =
    [
        "Gateway istio-system/httpsserver",
        "Gateway istio-system/httpsserver-http",
        "VirtualService istio-system/httpsserver",
        "DestinationRule httpserver/httpserver",
    ];

    private static readonly string[] Security =
    [
        "PeerAuthentication httpserver/default",
        "AuthorizationPolicy httpserver/httpserver-allow-ingress-gateway",
        "AuthorizationPolicy httpserver/httpserver-allow-metrics-from-monitoring",
        "RequestAuthentication istio-system/httpsserver-jwt",
        "AuthorizationPolicy istio-system/httpsserver-require-jwt",
    ];

    private static readonly string[] Telemetry = ["Telemetry istio-system/mesh-default"];

    private static readonly string[] Jaeger =
    [
        "Namespace observability",
        "Deployment observability/jaeger",
        "Service observability/jaeger",
    ];

    private static readonly string[] Chain =
    [
        "ServiceAccount httpserver/service0", "Service httpserver/service0", "Deployment httpserver/service0",
        "ServiceAccount httpserver/service1", "Service httpserver/service1", "Deployment httpserver/service1",
        "ServiceAccount httpserver/service2", "Service httpserver/service2", "Deployment httpserver/service2",
        "VirtualService istio-system/httpsserver-chain",
    ];

    private static readonly string[] EdgeMetrics = ["AuthorizationPolicy httpserver/httpserver-allow-ingress-gateway-metrics"];

    private static readonly string[] GatewayCertificate = ["Certificate istio-system/httpserver"];

    private static readonly string[] DevelopmentCa =
    [
        "ClusterIssuer selfsigned",
        "Certificate istio-system/httpserver-root-ca",
        "Issuer istio-system/httpserver-ca",
    ];

    private static readonly string[] LetsEncryptIssuers =
    [
        "Issuer istio-system/letsencrypt-staging",
        "Issuer istio-system/letsencrypt-prod",
    ];

    private static readonly string[] LetsEncrypt =
    [
        .. LetsEncryptIssuers,
        "Service istio-system/acme-http01-solver",
        "VirtualService istio-system/httpsserver-http",
    ];

    private static readonly string[] GatewayApiEdge =
    [
        "Gateway istio-system/httpsserver",
        "HTTPRoute httpserver/httpsserver",
        "HTTPRoute istio-system/httpsserver-http",
        "Service httpserver/httpserver-v1",
        "Service httpserver/httpserver-v2",
        "DestinationRule httpserver/httpserver",
        "DestinationRule httpserver/httpserver-v1",
        "DestinationRule httpserver/httpserver-v2",
    ];

    private static readonly string[] GatewayApiChain =
    [
        "ServiceAccount httpserver/service0", "Service httpserver/service0", "Deployment httpserver/service0",
        "ServiceAccount httpserver/service1", "Service httpserver/service1", "Deployment httpserver/service1",
        "ServiceAccount httpserver/service2", "Service httpserver/service2", "Deployment httpserver/service2",
        "HTTPRoute httpserver/httpsserver-chain",
    ];

    /// <summary>Overlay folder name → the exact set of resources it renders.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> ByOverlay =
        new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
        {
            ["local"] = Set(Workload, Edge, Security, Telemetry, Chain, EdgeMetrics),
            ["dev"] = Set(Workload, Edge, Security, Telemetry, Jaeger, EdgeMetrics, GatewayCertificate, DevelopmentCa),
            ["production"] = Set(Workload, Edge, Security, Telemetry, Jaeger, GatewayCertificate, LetsEncrypt),
            ["chain"] = Set(["Namespace httpserver"], Chain),
            ["gateway-api/local"] = Set(Workload, GatewayApiEdge, Security, Telemetry, GatewayApiChain, EdgeMetrics),
            ["gateway-api/dev"] = Set(Workload, GatewayApiEdge, Security, Telemetry, Jaeger, GatewayApiChain, EdgeMetrics, DevelopmentCa),
            ["gateway-api/production"] = Set(Workload, GatewayApiEdge, Security, Telemetry, Jaeger, LetsEncryptIssuers),
        };

    private static HashSet<string> Set(params string[][] parts) => parts.SelectMany(p => p).ToHashSet(StringComparer.Ordinal);
}

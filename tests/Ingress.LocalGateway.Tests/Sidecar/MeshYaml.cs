namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>YAML pieces for the workload proxy tests: PeerAuthentications at each scope and the gateway in front.</summary>
internal static class MeshYaml
{
    /// <summary>A PeerAuthentication; <paramref name="selector"/> and <paramref name="portLevel"/> are optional YAML maps.</summary>
    public static string PeerAuthentication(string name, string ns, string? mode, string? selector = null, string? portLevel = null) =>
        "---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\n" +
        $"metadata: {{name: {name}, namespace: {ns}}}\nspec:\n" +
        (selector is null ? "" : $"  selector: {{matchLabels: {selector}}}\n") +
        (mode is null ? "" : $"  mtls: {{mode: {mode}}}\n") +
        (portLevel is null ? "" : $"  portLevelMtls: {portLevel}\n");

    /// <summary>The deploy kit's "only the ingress gateway may call httpserver" policy (base/security).</summary>
    public const string OnlyTheGateway = """
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: httpserver-allow-ingress-gateway, namespace: httpserver}
        spec:
          selector: {matchLabels: {app: httpserver}}
          action: ALLOW
          rules:
          - from:
            - source:
                principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]
            to:
            - operation:
                notPaths: [/metrics, /metrics/*]

        """;

    /// <summary>A gateway on port 80 routing everything to httpserver, with an optional DestinationRule TLS mode.</summary>
    public static string Gateway(string? destinationRuleTlsMode) => """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: istio-system}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - route:
            - destination:
                host: httpserver.httpserver.svc.cluster.local
                port: {number: 80}

        """ + (destinationRuleTlsMode is null ? "" : $$"""
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpserver, namespace: httpserver}
        spec:
          host: httpserver.httpserver.svc.cluster.local
          trafficPolicy:
            tls: {mode: {{destinationRuleTlsMode}}}

        """);

    public const string GatewayIdentity = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    public const string WorkloadIdentity = "spiffe://cluster.local/ns/httpserver/sa/httpserver";
}

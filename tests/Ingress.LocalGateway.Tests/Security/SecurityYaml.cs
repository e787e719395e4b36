namespace Ingress.LocalGateway.Tests.Security;

/// <summary>YAML pieces the security tests combine: a gateway on port 80 and 443 routing everything to a backend.</summary>
internal static class SecurityYaml
{
    /// <summary>A Gateway (HTTP 80, and HTTPS 443 when a TLS block is given) and a VirtualService to the backend.</summary>
    public static string Gateway(string? tls = null) => $$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: gw
          namespace: istio-system
        spec:
          selector:
            istio: ingressgateway
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        {{(tls is null ? "" : "  - port: {number: 443, name: https, protocol: HTTPS}\n    hosts: [\"*\"]\n    tls:\n" + tls)}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: vs
          namespace: istio-system
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - route:
            - destination:
                host: httpserver.httpserver.svc.cluster.local
                port: {number: 80}

        """;

    /// <summary>A RequestAuthentication for the gateway with the given inline JWKS and extra rule fields.</summary>
    public static string RequestAuthentication(string issuer, string jwks, string extra = "", string name = "jwt") => $$"""
        ---
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata:
          name: {{name}}
          namespace: istio-system
        spec:
          selector:
            matchLabels:
              istio: ingressgateway
          jwtRules:
          - issuer: "{{issuer}}"
            audiences: ["httpserver"]
            jwks: '{{jwks}}'
        {{extra}}

        """;

    /// <summary>An AuthorizationPolicy for the gateway with the given action and rules (YAML list items).</summary>
    public static string Policy(string action, string rules, string name = "policy") => $$"""
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: {{name}}
          namespace: istio-system
        spec:
          selector:
            matchLabels:
              istio: ingressgateway
          action: {{action}}
          rules:
        {{Indent(rules, 2)}}

        """;

    public static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l));
}

using System.Net;
using System.Net.Http.Headers;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Tests.Infrastructure;
using Ingress.LocalGateway.Tests.Security;

namespace Ingress.LocalGateway.Tests.GatewayApi;

/// <summary>
/// Security policies that name a Gateway API Gateway with <c>targetRefs</c>, as Istio attaches them: to the workload
/// labelled <c>gateway.networking.k8s.io/gateway-name: &lt;name&gt;</c> in the policy's namespace, and to nothing else.
/// The gateway is that workload when started with the label; each case is a request over a real socket.
/// </summary>
public sealed class TargetRefPolicyTests : IAsyncLifetime
{
    private const string GatewayName = "edge";
    private const string Namespace = "edge-ns";
    private readonly TestIssuer _issuer = TestIssuer.Rsa();
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _backend = await RecordingBackend.StartAsync("app");
        _backend.On("/", 200, "ok");
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _issuer.Dispose();
    }

    public static TheoryData<string, string, bool, HttpStatusCode> Cases() => new()
    {
        // path, token (none, valid, forged), policies attached to this gateway, expected
        { "/open", "none", true, HttpStatusCode.OK },
        { "/secure", "none", true, HttpStatusCode.Forbidden },
        { "/secure", "valid", true, HttpStatusCode.OK },
        { "/secure", "forged", true, HttpStatusCode.Unauthorized },
        // Started without the Gateway's name label, the gateway is not that Gateway's workload: nothing attaches.
        { "/secure", "none", false, HttpStatusCode.OK },
        { "/secure", "forged", false, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Policies_with_targetRefs_to_the_Gateway_apply_to_its_workload_only(string path, string token, bool named,
        HttpStatusCode expected)
    {
        await using var gateway = await StartAsync(named);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://app.example.com" + path);
        if (token != "none")
        {
            using var other = TestIssuer.Rsa(_issuer.Issuer, _issuer.KeyId);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (token == "valid" ? _issuer : other).Token());
        }

        var response = await gateway.Client(80).SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("Service", "")]
    [InlineData("GatewayClass", "gateway.networking.k8s.io")]
    public async Task A_targetRef_to_another_kind_is_refused_with_its_field_path(string kind, string group)
    {
        await using var gateway = await StartAsync(named: true);

        var reload = await gateway.ReloadAsync(Yaml() + "\n" + $$"""
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: waypoint, namespace: {{Namespace}}}
            spec:
              targetRefs:
              - {name: {{GatewayName}}, kind: Gateway, group: gateway.networking.k8s.io}
              - {name: app, kind: {{kind}}, group: "{{group}}"}
              action: DENY
              rules: [{}]
            """);

        Assert.Equal(ReloadOutcome.Refused, reload.Outcome);
        var finding = Assert.Single(reload.Diagnostics, d => d.Code == SecurityCodes.TargetRefUnsupported);
        Assert.Equal("spec.targetRefs[1]", finding.FieldPath);
    }

    private Task<GatewayHarness> StartAsync(bool named) =>
        GatewayHarness.StartAsync(Yaml(), [$"app.{Namespace}.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"], Namespace,
            o => o with
            {
                Namespace = Namespace,
                Labels = named ? new Dictionary<string, string> { [PolicySelection.GatewayNameLabel] = GatewayName } : o.Labels,
            });

    private string Yaml() => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{GatewayName}}, namespace: {{Namespace}}}
        spec:
          gatewayClassName: istio
          listeners:
          - {name: http, port: 80, protocol: HTTP}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: app, namespace: {{Namespace}}}
        spec:
          parentRefs: [{name: {{GatewayName}}}]
          rules:
          - backendRefs: [{name: app, port: 80}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: app, namespace: {{Namespace}}}
        spec: {ports: [{name: http, port: 80}]}
        ---
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt, namespace: {{Namespace}}}
        spec:
          targetRefs: [{name: {{GatewayName}}, kind: Gateway, group: gateway.networking.k8s.io}]
          jwtRules:
          - issuer: "{{_issuer.Issuer}}"
            jwks: '{{_issuer.Jwks()}}'
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: require-jwt, namespace: {{Namespace}}}
        spec:
          targetRefs: [{name: {{GatewayName}}, kind: Gateway, group: gateway.networking.k8s.io}]
          action: DENY
          rules:
          - from:
            - source: {notRequestPrincipals: ["*"]}
            to:
            - operation: {paths: [/secure]}
        ---
        # Names another Gateway: applies to neither workload.
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-all-other, namespace: {{Namespace}}}
        spec:
          targetRef: {name: other, kind: Gateway, group: gateway.networking.k8s.io}
          action: DENY
          rules: [{}]
        """;
}

using System.Text.Json;
using Ingress.Cli.Tests.Commands;

namespace Ingress.Cli.Tests.GatewayApi;

/// <summary><c>ingress routes</c> shows the Gateway API objects' status as a controller would write it.</summary>
public sealed class RoutesStatusTests
{
    private const string Yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: infra}
        spec:
          gatewayClassName: istio
          listeners:
            - {name: http, port: 80, protocol: HTTP}
            - {name: tcp, port: 5432, protocol: TCP}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: http}]
          rules:
            - matches: [{path: {type: PathPrefix, value: /api}}]
              backendRefs: [{name: gone, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: lost, namespace: infra}
        spec:
          parentRefs: [{name: edge, sectionName: https}]
          rules: [{backendRefs: [{name: gone, port: 80}]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: other, namespace: infra}
        spec:
          gatewayClassName: nginx
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """;

    [Fact]
    public void Routes_prints_each_gateway_listener_and_route_with_its_conditions()
    {
        var run = CliRun.WithInput(Yaml, "routes", "-f", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("""
            gateway infra/edge (class istio)
                Accepted=True (Accepted): Resource accepted
                Programmed=True (Programmed): Resource programmed
              listener http 80 HTTP hostname *: 1 route attached
                Accepted=True (Accepted): No errors found
                Conflicted=False (NoConflicts): No errors found
                Programmed=True (Programmed): No errors found
                ResolvedRefs=True (ResolvedRefs): No errors found
              listener tcp 5432 TCP hostname *: 0 routes attached, not served
                Accepted=False (UnsupportedProtocol): protocol "TCP" is supported, but only when PILOT_ENABLE_ALPHA_GATEWAY_API=true is configured
                Conflicted=False (NoConflicts): No errors found
                Programmed=False (Invalid): the listener is not served: its protocol is not supported
                ResolvedRefs=True (ResolvedRefs): No errors found
            gateway infra/other (class nginx): not served, its class nginx is neither Istio's built-in class istio nor a GatewayClass of the configuration with controllerName istio.io/gateway-controller
            route HTTPRoute infra/web
              spec.parentRefs[0] infra/edge/http
                Accepted=True (Accepted): Route was valid
                ResolvedRefs=False (BackendNotFound): backend(gone.infra.svc.cluster.local) not found
            route HTTPRoute infra/lost
              spec.parentRefs[0] infra/edge/https
                Accepted=False (NoMatchingParent): sectionName "https" not found
                ResolvedRefs=False (BackendNotFound): backend(gone.infra.svc.cluster.local) not found

            """.ReplaceLineEndings("\n"), run.Out, StringComparison.Ordinal);
        Assert.Contains("1. path_separated_prefix:/api => route UnknownService (not found: 500 NC) [infra.web.0]", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_json_carries_the_same_status()
    {
        var run = CliRun.WithInput(Yaml, "routes", "-f", "-", "-o", "json");

        Assert.Equal(0, run.ExitCode);
        var route = JsonDocument.Parse(run.Out).RootElement.GetProperty("gatewayApi").GetProperty("routes")[0];
        Assert.Equal("HTTPRoute infra/web", route.GetProperty("route").GetString());
        var accepted = route.GetProperty("parents")[0].GetProperty("conditions")[0];
        Assert.Equal(("Accepted", "True", "Accepted"),
            (accepted.GetProperty("type").GetString(), accepted.GetProperty("status").GetString(), accepted.GetProperty("reason").GetString()));
    }
}

using Ingress.Config.Model;

namespace Ingress.Config.GatewayApi;

/// <summary>
/// The pods Istio's controller deploys for a Gateway of its class (<c>kube-gateway.yaml</c>, the automated deployment):
/// the Deployment <c>&lt;name&gt;-istio</c> running as the service account of the same name, its pods labelled with the
/// Gateway's name. Policies find those pods by that label (<c>WorkloadPolicyMatcher</c>), so the analyzers and the
/// local gateway started as such a pod read it from here.
/// </summary>
public static class GatewayDeployment
{
    /// <summary>The label with the Gateway's name on the Deployment, its pods and its Service.</summary>
    public const string GatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

    /// <summary>The name of the Deployment and of its service account (without the <c>gateway.istio.io/name-override</c> annotation).</summary>
    public static string Name(string gatewayName) => gatewayName + "-istio";

    /// <summary>The labels of the pods Istio deploys for <paramref name="gateway"/> (less <c>spec.infrastructure.labels</c>).</summary>
    public static IReadOnlyDictionary<string, string> PodLabels(KubernetesGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var name = gateway.Metadata.Name;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sidecar.istio.io/inject"] = "false",
            ["service.istio.io/canonical-name"] = Name(name),
            ["service.istio.io/canonical-revision"] = "latest",
            [GatewayNameLabel] = name,
            ["gateway.networking.k8s.io/gateway-class-name"] = gateway.Spec.GatewayClassName ?? "",
            ["gateway.istio.io/managed"] = "istio.io-gateway-controller",
        };
    }
}

using Ingress.Config.GatewayApi;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>
/// The pods of Kubernetes Gateway API Gateways: the Deployments and Pods of the configuration labelled with a Gateway's
/// name, and, for each Gateway Istio serves that none of them is for, the pods Istio's automated deployment gives it
/// (<see cref="GatewayDeployment"/>), which a cluster has although the configuration does not describe them.
/// </summary>
internal static class GatewayApiWorkloads
{
    /// <summary>Every Gateway API gateway pod, described or assumed.</summary>
    public static IReadOnlyList<Workload> All(ConfigIndex index, AnalysisContext context) =>
        index.Workloads.Where(w => w.Labels.ContainsKey(GatewayDeployment.GatewayNameLabel))
            .Concat(Assumed(index, context))
            .ToList();

    /// <summary>The pods Istio would deploy for the served Gateways that no workload of the configuration is for.</summary>
    public static IEnumerable<Workload> Assumed(ConfigIndex index, AnalysisContext context) =>
        GatewayApiStates.For(context).Gateways
            .Where(g => g.Served)
            .Select(g => g.Source)
            .Where(g => !index.Workloads.Any(w => w.Namespace == g.Metadata.Namespace &&
                                                  w.Labels.TryGetValue(GatewayDeployment.GatewayNameLabel, out var name) &&
                                                  name == g.Metadata.Name))
            .Select(g => new Workload(g.Metadata.Namespace, GatewayDeployment.Name(g.Metadata.Name),
                GatewayDeployment.PodLabels(g), Empty.Map<string>(), null));
}

using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>
/// Which workloads a security policy applies to (<c>security.istio.io</c>): one in the root namespace without a
/// selector applies to the whole mesh; otherwise to its namespace's workloads, all of them without a selector or
/// those whose labels match it; a root-namespace policy with a selector matches in every namespace.
/// </summary>
internal static class PolicyScope
{
    public static bool AppliesTo(Resource policy, WorkloadSelector? selector, Workload workload, string rootNamespace)
    {
        var ns = policy.Metadata.Namespace;
        var labels = selector?.MatchLabels ?? Empty.Map<string>();
        if (ns != rootNamespace && ns != workload.Namespace)
        {
            return false;
        }

        if (labels.Count == 0)
        {
            return true;
        }

        return workload.IsAssumed
            ? Labels.Matches(labels, workload.Labels) || Labels.Overlap(labels, workload.Labels)
            : Labels.Matches(labels, workload.Labels);
    }

    /// <summary>
    /// The workloads known to the configuration plus the gateway workloads its Gateways assume: Istio's ingress gateway
    /// for an Istio Gateway's selector, the pods Istio deploys for a Gateway API Gateway.
    /// </summary>
    public static IReadOnlyList<Workload> Candidates(ConfigIndex index, AnalysisContext context) =>
        index.Workloads
            .Concat(context.Config.Gateways.SelectMany(g => index.GatewayWorkloads(g, context)).Where(w => w.IsAssumed))
            .Concat(GatewayApiWorkloads.Assumed(index, context))
            .Distinct()
            .ToList();

    /// <summary>How a message names the workloads a policy is for.</summary>
    public static string Describe(Resource policy, WorkloadSelector? selector, string rootNamespace)
    {
        var labels = selector?.MatchLabels ?? Empty.Map<string>();
        if (labels.Count > 0)
        {
            return $"the workloads labelled {Labels.ToSelectorString(labels)} in namespace {policy.Metadata.Namespace}";
        }

        return policy.Metadata.Namespace == rootNamespace
            ? "every workload in the mesh"
            : $"every workload in namespace {policy.Metadata.Namespace}";
    }

    /// <summary>Whether a policy names its target with targetRef(s) (Gateway API), which this tool does not resolve.</summary>
    public static bool UsesTargetRef(PolicyTargetReference? targetRef, IReadOnlyList<PolicyTargetReference> targetRefs) =>
        targetRef is not null || targetRefs.Count > 0;
}

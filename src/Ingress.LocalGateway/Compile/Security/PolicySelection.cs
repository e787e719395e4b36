using Ingress.Config.Model;

namespace Ingress.LocalGateway.Compile.Security;

/// <summary>Who a policy is evaluated for: a workload's namespace and labels.</summary>
/// <param name="Namespace">The workload's namespace (the gateway's is usually istio-system).</param>
/// <param name="Labels">The workload's pod labels, which policy selectors match.</param>
public sealed record WorkloadIdentity(string Namespace, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Istio's scoping of security policies: a policy without selector in the root namespace applies to the whole mesh,
/// one without selector elsewhere to its namespace, one with a selector to the matching workloads of its namespace.
/// A policy with <c>targetRef(s)</c> applies only to the workload of the Kubernetes Gateway API Gateway it names, in its
/// own namespace: the workload labelled <c>gateway.networking.k8s.io/gateway-name</c> with the Gateway's name, as
/// Istio's automated deployment labels it (<c>WorkloadPolicyMatcher</c>); to any other workload it does not apply.
/// </summary>
public static class PolicySelection
{
    /// <summary>Istio's default root namespace.</summary>
    public const string DefaultRootNamespace = "istio-system";

    /// <summary>The label Istio puts on the pods it deploys for a Gateway API Gateway, with the Gateway's name.</summary>
    public const string GatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

    private const string GatewayApiGroup = "gateway.networking.k8s.io";

    public static bool Applies(Resource policy, WorkloadSelector? selector, WorkloadIdentity workload,
        string rootNamespace = DefaultRootNamespace)
    {
        var ns = policy.Metadata.Namespace;
        var hasSelector = selector is { MatchLabels.Count: > 0 };
        if (!hasSelector)
        {
            return ns == rootNamespace || ns == workload.Namespace;
        }

        return ns == workload.Namespace && selector!.MatchLabels.All(
            l => workload.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
    }

    /// <summary>
    /// Whether a policy applies to the workload, with its <c>targetRef</c>/<c>targetRefs</c> (Istio reads
    /// <c>targetRef</c> only when <c>targetRefs</c> is empty) taking the place of the selector when set.
    /// </summary>
    public static bool Applies(Resource policy, WorkloadSelector? selector, PolicyTargetReference? targetRef,
        IReadOnlyList<PolicyTargetReference> targetRefs, WorkloadIdentity workload, string rootNamespace = DefaultRootNamespace)
    {
        var targets = Targets(targetRef, targetRefs);
        if (targets.Count == 0)
        {
            return Applies(policy, selector, workload, rootNamespace);
        }

        var ns = policy.Metadata.Namespace;
        return ns == workload.Namespace && workload.Labels.TryGetValue(GatewayNameLabel, out var gateway) &&
               targets.Any(t => IsGateway(t) && t.Name == gateway && (string.IsNullOrEmpty(t.Namespace) || t.Namespace == ns));
    }

    /// <summary>
    /// The field path of the first target that is not a Gateway API Gateway (a Service, ServiceEntry or GatewayClass,
    /// which only waypoints use), or null when every target is one.
    /// </summary>
    public static string? UnsupportedTarget(PolicyTargetReference? targetRef, IReadOnlyList<PolicyTargetReference> targetRefs)
    {
        if (targetRefs.Count > 0)
        {
            var index = targetRefs.ToList().FindIndex(t => !IsGateway(t));
            return index < 0 ? null : $"spec.targetRefs[{index}]";
        }

        return targetRef is null || IsGateway(targetRef) ? null : "spec.targetRef";
    }

    private static IReadOnlyList<PolicyTargetReference> Targets(PolicyTargetReference? targetRef, IReadOnlyList<PolicyTargetReference> targetRefs) =>
        targetRefs.Count > 0 ? targetRefs : targetRef is null ? [] : [targetRef];

    private static bool IsGateway(PolicyTargetReference target) =>
        target.Kind == "Gateway" && target.Group == GatewayApiGroup;
}

using Ingress.Config.Model;

namespace Ingress.LocalGateway.Compile.Security;

/// <summary>Who a policy is evaluated for: a workload's namespace and labels.</summary>
/// <param name="Namespace">The workload's namespace (the gateway's is usually istio-system).</param>
/// <param name="Labels">The workload's pod labels, which policy selectors match.</param>
public sealed record WorkloadIdentity(string Namespace, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Istio's scoping of security policies: a policy without selector in the root namespace applies to the whole mesh,
/// one without selector elsewhere to its namespace, one with a selector to the matching workloads of its namespace.
/// </summary>
public static class PolicySelection
{
    /// <summary>Istio's default root namespace.</summary>
    public const string DefaultRootNamespace = "istio-system";

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
}

using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Security;

/// <summary>
/// IST0127: an AuthorizationPolicy, RequestAuthentication or PeerAuthentication selects no workload, so it does
/// nothing. Compare Istio's <c>authz/authorizationpolicies.go</c> (which checks AuthorizationPolicies against pods).
/// Locally the workloads are the Deployments in the configuration plus the gateway its Gateways select; the check
/// runs only when the configuration holds Deployments.
/// </summary>
public sealed class PolicySelectorAnalyzer : IAnalyzer
{
    public string Name => "security.PolicySelectorAnalyzer";

    public string Description => "Checks that security policies select at least one workload";

    public IReadOnlyList<string> Codes { get; } = [Messages.NoMatchingWorkloadsFound.Code];

    public IReadOnlyList<string> InputKinds { get; } =
        ["AuthorizationPolicy", "RequestAuthentication", "PeerAuthentication", "Deployment", "Pod", "Gateway"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        if (index.Workloads.Count == 0)
        {
            yield break;
        }

        var candidates = PolicyScope.Candidates(index, context);
        var policies = context.Config.OfType<AuthorizationPolicy>()
            .Where(p => !PolicyScope.UsesTargetRef(p.Spec.TargetRef, p.Spec.TargetRefs))
            .Select(p => ((Resource)p, p.Spec.Selector))
            .Concat(context.Config.OfType<RequestAuthentication>()
                .Where(p => !PolicyScope.UsesTargetRef(p.Spec.TargetRef, p.Spec.TargetRefs))
                .Select(p => ((Resource)p, p.Spec.Selector)))
            .Concat(context.Config.OfType<PeerAuthentication>().Select(p => ((Resource)p, p.Spec.Selector)));

        foreach (var (policy, selector) in policies)
        {
            var labels = selector?.MatchLabels ?? Empty.Map<string>();
            if (labels.Count == 0 && policy.Metadata.Namespace == context.RootNamespace)
            {
                continue; // Mesh-wide.
            }

            if (candidates.Any(w => PolicyScope.AppliesTo(policy, selector, w, context.RootNamespace)))
            {
                continue;
            }

            var where = labels.Count == 0
                ? $"No workload in namespace {policy.Metadata.Namespace} is in the configuration."
                : $"No Deployment or Pod in namespace {policy.Metadata.Namespace} has pod labels {Labels.ToSelectorString(labels)}: fix the selector or the pod labels.";
            yield return Messages.NoMatchingWorkloadsFound.At(
                policy,
                labels.Count == 0 ? "spec" : "spec.selector.matchLabels",
                where,
                Labels.ToSelectorString(labels));
        }
    }
}

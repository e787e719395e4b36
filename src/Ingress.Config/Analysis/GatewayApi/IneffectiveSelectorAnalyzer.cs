using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.GatewayApi;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.GatewayApi;

/// <summary>
/// IST0166: an AuthorizationPolicy, RequestAuthentication or Telemetry without <c>targetRef(s)</c> whose workload
/// selector matches the pods of a Kubernetes Gateway API Gateway in its namespace, as Istio's
/// <c>k8sgateway/workloadselector.go</c> (SelectorAnalyzer) reports it: such a policy should name the Gateway with
/// <c>targetRefs</c>. Istio reads the cluster's Pods; here they are <see cref="GatewayApiWorkloads"/> (the Pods and
/// Deployments of the configuration labelled with a Gateway's name, and those Istio deploys for a served Gateway).
/// </summary>
public sealed class IneffectiveSelectorAnalyzer : IAnalyzer
{
    public string Name => "k8sgateway.SelectorAnalyzer";

    public string Description => "Checks that selectors are effective for Kubernetes gateway";

    public IReadOnlyList<string> Codes { get; } = [Messages.IneffectiveSelector.Code];

    public IReadOnlyList<string> InputKinds { get; } =
        ["AuthorizationPolicy", "RequestAuthentication", "Telemetry", "Pod", "Deployment", "Gateway"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var pods = GatewayApiWorkloads.All(ConfigIndex.For(context.Config), context);
        if (pods.Count == 0)
        {
            yield break;
        }

        static (Resource Policy, WorkloadSelector? Selector, bool Targeted) View(Resource policy, WorkloadSelector? selector,
            PolicyTargetReference? targetRef, IReadOnlyList<PolicyTargetReference> targetRefs) =>
            (policy, selector, PolicyScope.UsesTargetRef(targetRef, targetRefs));

        var policies = context.Config.OfType<AuthorizationPolicy>().Select(p => View(p, p.Spec.Selector, p.Spec.TargetRef, p.Spec.TargetRefs))
            .Concat(context.Config.OfType<RequestAuthentication>().Select(p => View(p, p.Spec.Selector, p.Spec.TargetRef, p.Spec.TargetRefs)))
            .Concat(context.Config.OfType<Model.Telemetry>().Select(p => View(p, p.Spec.Selector, p.Spec.TargetRef, p.Spec.TargetRefs)));
        foreach (var (policy, selector, targeted) in policies)
        {
            // A policy with a target is Istio's way already; one without selector applies to its whole namespace.
            if (targeted || selector is null)
            {
                continue;
            }

            var gateways = pods
                .Where(p => p.Namespace == policy.Metadata.Namespace && Labels.Matches(selector.MatchLabels, p.Labels))
                .Select(p => p.Labels[GatewayDeployment.GatewayNameLabel])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            foreach (var gateway in gateways)
            {
                yield return Messages.IneffectiveSelector.At(policy, "spec.selector",
                    $"Replace spec.selector with targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: {gateway}}}].",
                    gateway);
            }
        }
    }
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Compile.Security;

/// <summary>Builds the evaluator for one workload from every AuthorizationPolicy in a config.</summary>
public static class AuthorizationPolicies
{
    /// <summary>
    /// Compiles the policies selected for the workload. Findings about any policy (selected or not) are returned so a
    /// config the proxies cannot enforce is refused as a whole rather than half applied.
    /// </summary>
    public static AuthorizationEvaluator ForWorkload(ConfigSet config, WorkloadIdentity workload,
        out IReadOnlyList<Diagnostic> findings, string rootNamespace = PolicySelection.DefaultRootNamespace)
    {
        var all = new List<Diagnostic>();
        var selected = new List<CompiledPolicy>();
        foreach (var policy in config.OfType<AuthorizationPolicy>())
        {
            var compiled = AuthorizationPolicyCompiler.Compile(policy, out var errors);
            all.AddRange(errors);
            if (compiled is not null && PolicySelection.Applies(policy, policy.Spec.Selector, policy.Spec.TargetRef, policy.Spec.TargetRefs, workload, rootNamespace))
            {
                selected.Add(compiled);
            }
        }

        findings = all;
        return new AuthorizationEvaluator(selected);
    }
}

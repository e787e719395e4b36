using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Security;

/// <summary>
/// ING2011: an AuthorizationPolicy rule on the request's JWT (<c>requestPrincipals</c>, <c>notRequestPrincipals</c>,
/// <c>when: request.auth.*</c>) for workloads no RequestAuthentication covers. Without one no request has a verified
/// token, so such conditions never hold (or, negated, always hold).
/// </summary>
public sealed class RequestPrincipalAnalyzer : IAnalyzer
{
    public string Name => "security.RequestPrincipalAnalyzer";

    public string Description => "Checks that AuthorizationPolicy rules on JWTs have a RequestAuthentication for the same workloads";

    public IReadOnlyList<string> Codes { get; } = [Messages.RequestPrincipalWithoutRequestAuthentication.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["AuthorizationPolicy", "RequestAuthentication", "Deployment", "Pod", "Gateway"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        var candidates = PolicyScope.Candidates(index, context);
        var authentications = context.Config.OfType<RequestAuthentication>().ToList();
        foreach (var policy in context.Config.OfType<AuthorizationPolicy>())
        {
            if (PolicyScope.UsesTargetRef(policy.Spec.TargetRef, policy.Spec.TargetRefs))
            {
                continue;
            }

            for (var i = 0; i < policy.Spec.Rules.Count; i++)
            {
                if (JwtCondition(policy.Spec.Rules[i], $"spec.rules[{i}]") is not { } condition)
                {
                    continue;
                }

                if (Covered(policy, authentications, candidates, context.RootNamespace))
                {
                    break;
                }

                yield return Messages.RequestPrincipalWithoutRequestAuthentication.At(
                    policy,
                    condition.Path,
                    "Add a RequestAuthentication for these workloads with the issuer and JWKS of your tokens.",
                    $"#{i}",
                    condition.What,
                    PolicyScope.Describe(policy, policy.Spec.Selector, context.RootNamespace),
                    condition.Negated ? "this condition holds for every request" : "this condition never holds");
            }
        }
    }

    private static (string Path, string What, bool Negated)? JwtCondition(Rule rule, string path)
    {
        for (var f = 0; f < rule.From.Count; f++)
        {
            var source = rule.From[f].Source;
            if (source is { RequestPrincipals.Count: > 0 })
            {
                return ($"{path}.from[{f}].source.requestPrincipals", "requestPrincipals", false);
            }

            if (source is { NotRequestPrincipals.Count: > 0 })
            {
                return ($"{path}.from[{f}].source.notRequestPrincipals", "notRequestPrincipals", true);
            }
        }

        for (var w = 0; w < rule.When.Count; w++)
        {
            var key = rule.When[w].Key ?? "";
            if (key.StartsWith("request.auth.", StringComparison.Ordinal))
            {
                return ($"{path}.when[{w}].key", $"when key {key}", rule.When[w].Values.Count == 0 && rule.When[w].NotValues.Count > 0);
            }
        }

        return null;
    }

    private static bool Covered(
        AuthorizationPolicy policy, List<RequestAuthentication> authentications, IReadOnlyList<Workload> candidates, string root)
    {
        var usable = authentications.Where(ra => !PolicyScope.UsesTargetRef(ra.Spec.TargetRef, ra.Spec.TargetRefs)).ToList();
        var policyLabels = policy.Spec.Selector?.MatchLabels ?? Empty.Map<string>();

        // Statically: a RequestAuthentication whose scope contains the policy's.
        var staticallyCovered = usable.Any(ra =>
        {
            var raLabels = ra.Spec.Selector?.MatchLabels ?? Empty.Map<string>();
            if (ra.Metadata.Namespace == root && raLabels.Count == 0)
            {
                return true;
            }

            return ra.Metadata.Namespace == policy.Metadata.Namespace && Labels.Matches(raLabels, policyLabels);
        });
        if (staticallyCovered || authentications.Count > usable.Count)
        {
            return true; // A targetRef-based RequestAuthentication may cover it: not resolvable here.
        }

        // Through the workloads: every workload the policy applies to has a RequestAuthentication.
        var selected = candidates.Where(w => PolicyScope.AppliesTo(policy, policy.Spec.Selector, w, root)).ToList();
        return selected.Count > 0
            && selected.All(w => usable.Any(ra => PolicyScope.AppliesTo(ra, ra.Spec.Selector, w, root)));
    }
}

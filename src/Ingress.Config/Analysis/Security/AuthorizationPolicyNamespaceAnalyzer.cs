using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Security;

/// <summary>
/// IST0101: an AuthorizationPolicy's <c>from.source.namespaces</c> or <c>notNamespaces</c> entry matches no
/// Namespace. Follows the namespace half of Istio's <c>authz/authorizationpolicies.go</c>
/// (AuthorizationPoliciesAnalyzer, <c>analyzeNamespaceNotFound</c> and <c>namespaceMatch</c>): <c>*</c> matches every
/// namespace, <c>*suffix</c> and <c>prefix*</c> match by suffix and prefix (case-sensitive), anything else must equal a
/// Namespace's name ignoring case. The other half of Istio's analyzer (IST0127, a selector no pod matches) is
/// <c>security.PolicySelectorAnalyzer</c>.
/// <para>
/// Istio compares against the cluster's Namespaces. Files usually hold only the namespaces they create and name others
/// that exist elsewhere (a <c>monitoring</c> namespace, say), so Istio's rule is applied as is only when the
/// configuration holds the cluster's list, recognised by a Namespace <c>kube-system</c> (as <c>kubectl get namespaces
/// -o yaml</c> gives). Otherwise only an entry that no namespace can match is reported: an exact name that is not a
/// DNS-1123 label (Kubernetes' rule for namespace names), such as <c>team_a</c> or <c>a*b</c>.
/// </para>
/// </summary>
public sealed class AuthorizationPolicyNamespaceAnalyzer : IAnalyzer
{
    public string Name => "auth.AuthorizationPoliciesAnalyzer";

    public string Description => "Checks that the namespaces an AuthorizationPolicy names exist";

    public IReadOnlyList<string> Codes { get; } = [Messages.ReferencedResourceNotFound.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["AuthorizationPolicy", "Namespace"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var namespaces = context.Config.OfType<Namespace>().Select(n => n.Metadata.Name).ToList();
        var clusterList = namespaces.Contains("kube-system", StringComparer.Ordinal);

        foreach (var policy in context.Config.OfType<AuthorizationPolicy>())
        {
            for (var i = 0; i < policy.Spec.Rules.Count; i++)
            {
                var from = policy.Spec.Rules[i].From;
                for (var j = 0; j < from.Count; j++)
                {
                    if (from[j].Source is not { } source)
                    {
                        continue;
                    }

                    foreach (var (field, values) in new[] { ("namespaces", source.Namespaces), ("notNamespaces", source.NotNamespaces) })
                    {
                        for (var k = 0; k < values.Count; k++)
                        {
                            var pattern = values[k];
                            if (namespaces.Any(ns => Matches(ns, pattern)) || (!clusterList && CouldExist(pattern)))
                            {
                                continue;
                            }

                            yield return Messages.ReferencedResourceNotFound.At(
                                policy,
                                $"spec.rules[{i}].from[{j}].source.{field}[{k}]",
                                clusterList
                                    ? "No Namespace of the cluster has this name: fix the name, or create the Namespace."
                                    : "No namespace can have this name (namespace names are DNS-1123 labels): fix it.",
                                "namespace",
                                Messages.Quote(pattern));
                        }
                    }
                }
            }
        }
    }

    /// <summary>Whether some namespace could match: a <c>*</c> pattern, or a name that is a DNS-1123 label.</summary>
    private static bool CouldExist(string pattern) =>
        pattern.StartsWith('*') || pattern.EndsWith('*') || Istio.DnsLabels.IsValid(pattern);

    /// <summary>Istio's <c>namespaceMatch</c>.</summary>
    internal static bool Matches(string ns, string pattern)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (pattern.StartsWith('*'))
        {
            return ns.EndsWith(pattern[1..], StringComparison.Ordinal);
        }

        if (pattern.EndsWith('*'))
        {
            return ns.StartsWith(pattern[..^1], StringComparison.Ordinal);
        }

        return string.Equals(ns, pattern, StringComparison.OrdinalIgnoreCase);
    }
}

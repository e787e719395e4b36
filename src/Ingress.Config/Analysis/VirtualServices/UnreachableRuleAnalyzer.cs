using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// IST0130/IST0131: HTTP rules and match blocks that can never be used, because the first match wins and an earlier
/// rule takes every request they would. Istio's validation (<c>analyzeUnreachableHTTPRules</c>) finds identical
/// matches, covered prefixes and a second rule without matches; this analyzer also finds a rule listed after a
/// catch-all (a rule without matches, which Istio turns into the last route of the VirtualService) and matches
/// covered by a broader earlier one (exact under a prefix, headers narrowing an earlier block).
/// </summary>
public sealed class UnreachableRuleAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.UnreachableRuleAnalyzer";

    public string Description => "Checks for VirtualService HTTP rules and matches that earlier rules make unreachable";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.VirtualServiceUnreachableRule.Code, Messages.VirtualServiceIneffectiveMatch.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var vs in context.Config.VirtualServices)
        {
            var seen = new List<(int Rule, HttpMatchRequest Match)>();
            var catchAll = -1;
            for (var i = 0; i < vs.Spec.Http.Count; i++)
            {
                var rule = vs.Spec.Http[i];
                if (catchAll >= 0)
                {
                    var reason = rule.Match.Count == 0
                        ? "only the last rule can have no matches"
                        : $"rule {RuleName(vs.Spec.Http[catchAll], catchAll)} before it has no match and takes every request";
                    yield return Messages.VirtualServiceUnreachableRule.At(
                        vs,
                        $"spec.http[{i}]",
                        $"Move the rule without match to the end: rules are tried in order and the first match wins.",
                        RuleName(rule, i),
                        reason);
                    continue;
                }

                if (rule.Match.Count == 0)
                {
                    catchAll = i;
                    continue;
                }

                var unused = 0;
                for (var j = 0; j < rule.Match.Count; j++)
                {
                    var match = rule.Match[j];
                    var earlier = seen.FindIndex(s => MatchCoverage.Covers(s.Match, match));
                    if (earlier >= 0)
                    {
                        var earlierRule = seen[earlier].Rule;
                        unused++;
                        yield return Messages.VirtualServiceIneffectiveMatch.At(
                            vs,
                            $"spec.http[{i}].match[{j}]",
                            $"Every request it matches is taken first by rule {RuleName(vs.Spec.Http[earlierRule], earlierRule)}: put the narrower match first or remove it.",
                            RuleName(rule, i),
                            MatchName(match, j),
                            RuleName(vs.Spec.Http[earlierRule], earlierRule));
                    }

                    seen.Add((i, match));
                }

                if (unused == rule.Match.Count)
                {
                    yield return Messages.VirtualServiceUnreachableRule.At(
                        vs,
                        $"spec.http[{i}]",
                        "Put narrower rules before broader ones: rules are tried in order and the first match wins.",
                        RuleName(rule, i),
                        "all matches used by prior rules");
                }
            }
        }
    }

    private static string RuleName(HttpRoute rule, int index) =>
        string.IsNullOrEmpty(rule.Name) ? $"#{index}" : Messages.Quote(rule.Name);

    private static string MatchName(HttpMatchRequest match, int index) =>
        string.IsNullOrEmpty(match.Name) ? $"#{index}" : Messages.Quote(match.Name);
}

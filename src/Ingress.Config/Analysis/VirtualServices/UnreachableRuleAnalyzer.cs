using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// IST0130/IST0131: HTTP, TCP and TLS rules and match blocks that can never be used, because the first match wins and
/// an earlier rule takes every request (or connection) they would. TCP and TLS rules follow Istio's
/// <c>analyzeUnreachableTCPRules</c> / <c>analyzeUnreachableTLSRules</c> exactly (identical matches, rules after one
/// without matches). Istio's validation (<c>analyzeUnreachableHTTPRules</c>) finds identical
/// matches, covered prefixes and a second rule without matches; this analyzer also finds a rule listed after a
/// catch-all (a rule without matches, which Istio turns into the last route of the VirtualService) and matches
/// covered by a broader earlier one (exact under a prefix, headers narrowing an earlier block).
/// </summary>
public sealed class UnreachableRuleAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.UnreachableRuleAnalyzer";

    public string Description => "Checks for VirtualService HTTP, TCP and TLS rules and matches that earlier rules make unreachable";

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
                    var reason = rule.Match.Count == 0 ? "only the last rule can have no matches" : "route without matches defined before";
                    yield return Messages.VirtualServiceUnreachableRule.At(
                        vs,
                        $"spec.http[{i}]",
                        $"Rule {RuleName(vs.Spec.Http[catchAll], catchAll)} has no match and takes every request: move it to the end, as rules are tried in order and the first match wins.",
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

            foreach (var finding in L4Rules(vs, "tcp", vs.Spec.Tcp.Select(r => r.Match.Select(TcpKey).ToList()).ToList()))
            {
                yield return finding;
            }

            foreach (var finding in L4Rules(vs, "tls", vs.Spec.Tls.Select(r => r.Match.Select(TlsKey).ToList()).ToList()))
            {
                yield return finding;
            }
        }
    }

    /// <summary>
    /// Istio's analyzeUnreachableTCPRules and analyzeUnreachableTLSRules: a second rule without matches, any rule after
    /// one without matches, a match identical to an earlier one (IST0131), and a rule whose every match is such a
    /// duplicate (IST0130). Rules and matches are named by index (<c>#1</c>), as TCP and TLS rules have no names.
    /// </summary>
    private static IEnumerable<Diagnostic> L4Rules(VirtualService vs, string kind, List<List<string>> rules)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var catchAll = -1;
        for (var i = 0; i < rules.Count; i++)
        {
            var matches = rules[i];
            if (matches.Count == 0)
            {
                if (catchAll >= 0)
                {
                    yield return Messages.VirtualServiceUnreachableRule.At(vs, $"spec.{kind}[{i}]",
                        $"Rule #{catchAll} already has no match and takes every connection: merge the two or give one a match.",
                        $"#{i}", "only the last rule can have no matches");
                }

                catchAll = i;
                continue;
            }

            var duplicates = 0;
            for (var j = 0; j < matches.Count; j++)
            {
                if (catchAll >= 0)
                {
                    yield return Messages.VirtualServiceUnreachableRule.At(vs, $"spec.{kind}[{i}]",
                        $"Rule #{catchAll} has no match and takes every connection: move it to the end.",
                        $"#{i}", "route without matches defined before");
                    continue;
                }

                if (seen.TryGetValue(matches[j], out var earlier))
                {
                    duplicates++;
                    yield return Messages.VirtualServiceIneffectiveMatch.At(vs, $"spec.{kind}[{i}].match[{j}]",
                        $"Rule #{earlier} has the same match and takes these connections first: remove it here.",
                        $"#{i}", $"#{j}", $"#{earlier}");
                }
                else
                {
                    seen[matches[j]] = i;
                }
            }

            if (catchAll < 0 && duplicates == matches.Count)
            {
                yield return Messages.VirtualServiceUnreachableRule.At(vs, $"spec.{kind}[{i}]",
                    "Every match repeats an earlier rule's: remove the rule or change its matches.",
                    $"#{i}", "all matches used by prior rules");
            }
        }
    }

    /// <summary>A TCP match as one comparable value (Istio compares the matches' JSON forms).</summary>
    private static string TcpKey(L4MatchAttributes m) => string.Join('\u001f',
        List(m.DestinationSubnets), m.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", m.SourceSubnet ?? "",
        Map(m.SourceLabels), List(m.Gateways), m.SourceNamespace ?? "");

    /// <summary>A TLS match as one comparable value.</summary>
    private static string TlsKey(TlsMatchAttributes m) => string.Join('\u001f',
        List(m.SniHosts), List(m.DestinationSubnets), m.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
        Map(m.SourceLabels), List(m.Gateways), m.SourceNamespace ?? "");

    private static string List(IReadOnlyList<string> values) => string.Join('\u001e', values);

    private static string Map(IReadOnlyDictionary<string, string> values) =>
        string.Join('\u001e', values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static string RuleName(HttpRoute rule, int index) =>
        string.IsNullOrEmpty(rule.Name) ? $"#{index}" : Messages.Quote(rule.Name);

    private static string MatchName(HttpMatchRequest match, int index) =>
        string.IsNullOrEmpty(match.Name) ? $"#{index}" : Messages.Quote(match.Name);
}

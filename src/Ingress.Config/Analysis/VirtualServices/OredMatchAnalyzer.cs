using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// ING2001: a match list like <c>- port: 443</c> / <c>- uri: {prefix: /api}</c> is two OR-ed items, so the rule
/// takes every request on port 443, not only <c>/api</c> ones. An item whose only condition is a static selector
/// (port, gateways, sourceLabels, sourceNamespace) next to items with request conditions was almost certainly meant
/// to be one item.
/// </summary>
public sealed class OredMatchAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.OredMatchAnalyzer";

    public string Description => "Checks for match items that were meant to be ANDed but are written as separate (OR-ed) items";

    public IReadOnlyList<string> Codes { get; } = [Messages.MatchItemsOred.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var vs in context.Config.VirtualServices)
        {
            for (var i = 0; i < vs.Spec.Http.Count; i++)
            {
                var matches = vs.Spec.Http[i].Match;
                var withRequestConditions = Enumerable.Range(0, matches.Count).Where(j => HasRequestConditions(matches[j])).ToList();
                if (withRequestConditions.Count == 0)
                {
                    continue;
                }

                for (var j = 0; j < matches.Count; j++)
                {
                    var match = matches[j];
                    if (HasRequestConditions(match) || StaticSelector(match) is not { } selector)
                    {
                        continue;
                    }

                    var other = withRequestConditions[0];
                    yield return Messages.MatchItemsOred.At(
                        vs,
                        $"spec.http[{i}].match[{j}]",
                        $"To require both, write one match item holding {selector.Field} and the conditions of match #{other} (drop the '-' before them).",
                        $"match #{j}",
                        selector.Field,
                        string.IsNullOrEmpty(vs.Spec.Http[i].Name) ? $"#{i}" : Messages.Quote(vs.Spec.Http[i].Name),
                        selector.Scope,
                        $"match #{other}");
                }
            }
        }
    }

    private static bool HasRequestConditions(HttpMatchRequest match) =>
        match.Uri is not null || match.Scheme is not null || match.Method is not null || match.Authority is not null
        || match.Headers.Count > 0 || match.QueryParams.Count > 0 || match.WithoutHeaders.Count > 0;

    private static (string Field, string Scope)? StaticSelector(HttpMatchRequest match)
    {
        if (match.Port is { } port)
        {
            return ($"port: {port}", $"on port {port}");
        }

        if (match.Gateways.Count > 0)
        {
            return ($"gateways: [{string.Join(", ", match.Gateways)}]", $"through {string.Join(", ", match.Gateways)}");
        }

        if (match.SourceNamespace is { } ns)
        {
            return ($"sourceNamespace: {ns}", $"from namespace {ns}");
        }

        return match.SourceLabels.Count > 0 ? ("sourceLabels", "from the labelled workloads") : null;
    }
}

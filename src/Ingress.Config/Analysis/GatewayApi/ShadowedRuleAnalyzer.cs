using System.Text.RegularExpressions;
using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.GatewayApi;

namespace Ingress.Config.Analysis.GatewayApi;

/// <summary>
/// ING2101: a rule of an HTTPRoute or GRPCRoute that can never match, because a rule tried before it on the same
/// listener and hostname (the Gateway API's precedence, in Istio's order) matches every request it would: the same
/// match written twice (in one route or two), or a regular expression behind a path prefix that covers it (Istio tries
/// regular expressions after every prefix). Istio's analyzers check VirtualService rules only.
/// </summary>
public sealed class ShadowedRuleAnalyzer : IAnalyzer
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public string Name => "gatewayapi.ShadowedRuleAnalyzer";

    public string Description => "Checks that every HTTPRoute and GRPCRoute rule can match: no earlier rule on the same listener and hostname takes all its requests";

    public IReadOnlyList<string> Codes { get; } = [Messages.GatewayApiRuleShadowed.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway", "HTTPRoute", "GRPCRoute"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var state = GatewayApiStates.For(context);
        foreach (var host in state.Gateways.SelectMany(g => g.Listeners).SelectMany(l => l.VirtualHosts))
        {
            for (var later = 1; later < host.Rules.Count; later++)
            {
                var rule = host.Rules[later];
                for (var earlier = 0; earlier < later; earlier++)
                {
                    if (Why(host.Rules[earlier].Match, rule.Match) is not { } why)
                    {
                        continue;
                    }

                    var first = host.Rules[earlier];
                    yield return Messages.GatewayApiRuleShadowed.At(rule.Route, rule.FieldPath, Advice(why),
                        rule.Display, first.Display, why);
                    break;
                }
            }
        }
    }

    /// <summary>Why <paramref name="first"/> takes every request <paramref name="later"/> matches, or null.</summary>
    private static string? Why(RouteMatch first, RouteMatch later)
    {
        if ((first.Method is not null && first.Method != later.Method) ||
            !first.Headers.All(h => later.Headers.Any(o => string.Equals(o.Name, h.Name, StringComparison.OrdinalIgnoreCase) && o.Regex == h.Regex && o.Value == h.Value)) ||
            !first.QueryParams.All(q => later.QueryParams.Contains(q)))
        {
            return null;
        }

        var sameConditions = first.Method == later.Method && first.Headers.Count == later.Headers.Count &&
                             first.QueryParams.Count == later.QueryParams.Count;
        return (first.PathKind, later.PathKind) switch
        {
            _ when first.MatchesNothingInParticular => "it has no match, so it takes every request",
            (PathMatchKind.Any, _) => "it has no path condition",
            var (a, b) when a == b && first.Path == later.Path && sameConditions => "the same match",
            (PathMatchKind.Prefix, PathMatchKind.Exact or PathMatchKind.Prefix) when Under(first.Path, later.Path) =>
                $"path prefix {first.Path} covers {later.Path}",
            (PathMatchKind.Prefix, PathMatchKind.RegularExpression) when Under(first.Path, LiteralStart(later.Path)) =>
                $"path prefix {first.Path} covers every path the regular expression {later.Path} can match, and Istio tries regular expressions after prefixes",
            (PathMatchKind.Prefix, PathMatchKind.Any) when first.Path == "/" => $"path prefix {first.Path} covers every path",
            (PathMatchKind.RegularExpression, PathMatchKind.Exact) when Regex.IsMatch(later.Path, $"^(?:{first.Path})$", RegexOptions.None, RegexTimeout) =>
                $"the regular expression {first.Path} matches {later.Path}",
            _ => null,
        };
    }

    /// <summary>Whether a path prefix takes the path (or prefix) <paramref name="path"/>, segment by segment.</summary>
    private static bool Under(string prefix, string? path)
    {
        if (path is null)
        {
            return false;
        }

        var trimmed = prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
        return trimmed == "/" || path == trimmed || path.StartsWith(trimmed + "/", StringComparison.Ordinal);
    }

    /// <summary>
    /// The literal text every match of a regular expression starts with and that is followed by a <c>/</c> (so the
    /// expression stays inside that path), or null.
    /// </summary>
    private static string? LiteralStart(string pattern)
    {
        var text = pattern.StartsWith('^') ? pattern[1..] : pattern;
        var end = 0;
        while (end < text.Length && !".[](){}*+?|\\$^".Contains(text[end], StringComparison.Ordinal))
        {
            end++;
        }

        var literal = text[..end];
        var slash = literal.LastIndexOf('/');
        return slash > 0 ? literal[..slash] : null;
    }

    private static string Advice(string why) => why.Contains("regular expression", StringComparison.Ordinal)
        ? "Narrow the earlier rule, or write the later one as an Exact or PathPrefix match, which Istio tries before the prefix when it is longer."
        : "Make the matches differ (a longer path, a header, a method), merge the rules, or delete the one that never matches.";
}

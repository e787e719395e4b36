using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// ING2013 (a check Istio lacks): <c>rewrite.uri</c> ending in <c>/</c> after a <c>uri.prefix</c> match that does not
/// end in <c>/</c>. Istio hands a VirtualService's <c>rewrite.uri</c> to Envoy as <c>prefix_rewrite</c>
/// (<c>applyHTTPRouteDestination</c> in <c>pilot/pkg/networking/core/route/route.go</c>; only routes it generates from
/// the Gateway API get the segment-aware regular expression for <c>/</c>), and Envoy replaces exactly the matched
/// characters: <c>prefix: /api</c> with <c>rewrite.uri: /</c> forwards <c>/api/x</c> as <c>//x</c>.
/// </summary>
public sealed class PrefixRewriteAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.PrefixRewriteAnalyzer";

    public string Description => "Checks for a rewrite.uri ending in '/' after a prefix match that does not, which doubles the slash";

    public IReadOnlyList<string> Codes { get; } = [Messages.PrefixRewriteDoubleSlash.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var vs in context.Config.VirtualServices)
        {
            for (var i = 0; i < vs.Spec.Http.Count; i++)
            {
                var rule = vs.Spec.Http[i];
                var rewrite = rule.Rewrite?.Uri;
                if (string.IsNullOrEmpty(rewrite) || !rewrite.EndsWith('/') || rule.Rewrite?.UriRegexRewrite is not null)
                {
                    continue;
                }

                foreach (var match in rule.Match)
                {
                    var prefix = match.Uri?.Prefix;
                    if (string.IsNullOrEmpty(prefix) || prefix.EndsWith('/'))
                    {
                        continue;
                    }

                    yield return Messages.PrefixRewriteDoubleSlash.At(
                        vs,
                        $"spec.http[{i}].rewrite.uri",
                        $"Match prefix: {prefix}/ instead (with an exact: {prefix} match if that path is served too), or use " +
                        $"rewrite.uriRegexRewrite {{match: ^{prefix}/?, rewrite: {rewrite}}} to replace the segment.",
                        string.IsNullOrEmpty(rule.Name) ? $"#{i}" : Messages.Quote(rule.Name),
                        Messages.Quote(prefix),
                        Messages.Quote(rewrite),
                        prefix + "/x",
                        rewrite + "/x");
                    break;
                }
            }
        }
    }
}

using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// IST0149: routing on JWT claims (<c>headers: {"@request.auth.claims.group": …}</c>) needs a RequestAuthentication
/// for the gateway's pods, which verifies the token and exposes its claims. Compare Istio's
/// <c>virtualservice/jwtclaimroute.go</c>.
/// </summary>
public sealed class JwtClaimRouteAnalyzer : IAnalyzer
{
    private const string ClaimPrefix = "@request.auth.claims";

    public string Name => "virtualservice.JWTClaimRouteAnalyzer";

    public string Description => "Checks that routing on JWT claims has a RequestAuthentication for the gateway pods";

    public IReadOnlyList<string> Codes { get; } = [Messages.JwtClaimBasedRoutingWithoutRequestAuthN.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService", "Gateway", "RequestAuthentication", "Deployment", "Pod"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        var authentications = context.Config.OfType<RequestAuthentication>()
            .Where(ra => !PolicyScope.UsesTargetRef(ra.Spec.TargetRef, ra.Spec.TargetRefs))
            .ToList();
        foreach (var vs in context.Config.VirtualServices)
        {
            var gateways = vs.Spec.Gateways
                .Select(g => GatewayReferences.Resolve(g, vs.Metadata.Namespace))
                .OfType<(string Namespace, string Name)>()
                .Select(n => context.Config.Find<Gateway>(n.Namespace, n.Name))
                .OfType<Gateway>()
                .ToList();
            for (var i = 0; i < vs.Spec.Http.Count; i++)
            {
                for (var j = 0; j < vs.Spec.Http[i].Match.Count; j++)
                {
                    foreach (var key in vs.Spec.Http[i].Match[j].Headers.Keys.Where(k => k.StartsWith(ClaimPrefix, StringComparison.Ordinal)))
                    {
                        foreach (var gateway in gateways)
                        {
                            var uncovered = index.GatewayWorkloads(gateway, context)
                                .FirstOrDefault(w => !authentications.Any(ra => PolicyScope.AppliesTo(ra, ra.Spec.Selector, w, context.RootNamespace)));
                            if (uncovered is null)
                            {
                                continue;
                            }

                            yield return Messages.JwtClaimBasedRoutingWithoutRequestAuthN.At(
                                vs,
                                $"spec.http[{i}].match[{j}].headers.{key}",
                                $"Add a RequestAuthentication in namespace {uncovered.Namespace} selecting {Labels.ToSelectorString(uncovered.Labels)}.",
                                key,
                                $"{gateway.Metadata.Namespace}/{gateway.Metadata.Name}",
                                uncovered.IsAssumed ? Labels.ToSelectorString(uncovered.Labels) : $"{uncovered.Namespace}/{uncovered.Name}");
                        }
                    }
                }
            }
        }
    }
}

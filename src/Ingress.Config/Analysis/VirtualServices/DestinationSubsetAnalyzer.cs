using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// IST0101 (host+subset): a subset a VirtualService routes to is defined by a DestinationRule for that host (both
/// hosts expanded in their own namespaces) that is exported to the VirtualService's namespace. Compare Istio's
/// <c>virtualservice/destinationrules.go</c>.
/// </summary>
public sealed class DestinationSubsetAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.DestinationRuleAnalyzer";

    public string Description => "Checks that the subsets a VirtualService routes to are defined by a DestinationRule";

    public IReadOnlyList<string> Codes { get; } = [Messages.ReferencedResourceNotFound.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService", "DestinationRule"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var rules = context.Config.DestinationRules
            .Where(dr => !string.IsNullOrEmpty(dr.Spec.Host))
            .Select(dr => (Rule: dr, Fqdn: HostNames.ResolveShortName(dr.Spec.Host!, dr.Metadata.Namespace)))
            .ToList();

        foreach (var vs in context.Config.VirtualServices)
        {
            foreach (var reference in RouteDestinationRef.Of(vs))
            {
                var subset = reference.Destination.Subset;
                var host = reference.Destination.Host;
                if (string.IsNullOrEmpty(subset) || string.IsNullOrEmpty(host))
                {
                    continue;
                }

                var fqdn = HostNames.ResolveShortName(host, vs.Metadata.Namespace);
                // A DestinationRule counts where it is visible (its exportTo; every namespace without one), judged from
                // the VirtualService's namespace.
                var sameHost = rules.Where(r => string.Equals(r.Fqdn, fqdn, StringComparison.OrdinalIgnoreCase)).ToList();
                var forHost = sameHost
                    .Where(r => ExportTo.IsVisible(r.Rule.Metadata.Namespace, r.Rule.Spec.ExportTo, vs.Metadata.Namespace))
                    .ToList();
                if (forHost.Any(r => r.Rule.Spec.Subsets.Any(s => s.Name == subset)))
                {
                    continue;
                }

                var hidden = sameHost.Except(forHost).FirstOrDefault(r => r.Rule.Spec.Subsets.Any(s => s.Name == subset));
                var advice = hidden.Rule is not null
                    ? $"{hidden.Rule.DisplayName} defines it but is exported only to {string.Join(", ", hidden.Rule.Spec.ExportTo)}, which does not include namespace {vs.Metadata.Namespace}: add that namespace to its exportTo. Until then the gateway answers 503 (NC) for this route."
                    : forHost.Count > 0
                    ? $"{forHost[0].Rule.DisplayName} defines subsets {string.Join(", ", forHost[0].Rule.Spec.Subsets.Select(s => s.Name))}: add subset {subset} or fix the name. Until then the gateway answers 503 (NC) for this route."
                    : $"No DestinationRule for host {fqdn} is in the configuration: add one with subset {subset}. Until then the gateway answers 503 (NC) for this route.";
                yield return Messages.ReferencedResourceNotFound.At(
                    vs,
                    $"{reference.Path}.subset",
                    advice,
                    reference.IsMirror ? "mirror+subset in destinationrule" : "host+subset in destinationrule",
                    Messages.Quote($"{host}+{subset}"));
            }
        }
    }
}

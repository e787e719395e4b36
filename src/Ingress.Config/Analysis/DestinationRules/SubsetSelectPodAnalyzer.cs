using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.DestinationRules;

/// <summary>
/// IST0174/IST0173: a DestinationRule's host is a Service, and each subset's labels (with the Service's selector)
/// select some pods. Compare Istio's <c>destinationrule/subset.go</c>. Locally: hosts only when the configuration
/// holds Services (cluster-local names only), subsets only when it holds Deployments in the Service's namespace.
/// </summary>
public sealed class SubsetSelectPodAnalyzer : IAnalyzer
{
    public string Name => "destinationrule.SubsetSelectPodAnalyzer";

    public string Description => "Checks that a DestinationRule's host is a Service and that its subsets select pods";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.UnknownDestinationRuleHost.Code, Messages.DestinationRuleSubsetNotSelectPods.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["DestinationRule", "Service", "Deployment", "Pod"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        if (!index.HasServices)
        {
            yield break;
        }

        foreach (var dr in context.Config.DestinationRules)
        {
            var host = dr.Spec.Host;
            if (string.IsNullOrEmpty(host) || host.StartsWith('*'))
            {
                continue;
            }

            var fqdn = HostNames.ResolveShortName(host, dr.Metadata.Namespace);
            var service = index.FindService(fqdn);
            if (service is null)
            {
                if (fqdn.EndsWith(HostNames.ClusterLocalSuffix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return Messages.UnknownDestinationRuleHost.At(
                        dr, "spec.host",
                        $"No Service {fqdn} is in the configuration: fix the host (short names are expanded in the DestinationRule's namespace, {dr.Metadata.Namespace}) or add the Service.",
                        host);
                }

                continue;
            }

            var pods = index.Workloads.Where(w => w.Namespace == service.Metadata.Namespace).ToList();
            if (pods.Count == 0)
            {
                continue; // The Service's workloads are not in the configuration.
            }

            for (var i = 0; i < dr.Spec.Subsets.Count; i++)
            {
                var subset = dr.Spec.Subsets[i];
                var selector = service.Spec.Selector.Concat(subset.Labels)
                    .GroupBy(pair => pair.Key)
                    .ToDictionary(g => g.Key, g => g.Last().Value);
                if (pods.Any(w => Labels.Matches(selector, w.Labels)))
                {
                    continue;
                }

                yield return Messages.DestinationRuleSubsetNotSelectPods.At(
                    dr, $"spec.subsets[{i}].labels",
                    $"No Deployment or Pod in namespace {service.Metadata.Namespace} has pod labels {Labels.ToSelectorString(selector)}: fix the subset's labels or the pod labels.",
                    subset.Name);
            }
        }
    }
}

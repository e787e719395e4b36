using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis.Telemetry;

/// <summary>
/// IST0101/IST0159: a Telemetry with a workload selector selects at least one workload of its namespace, and no
/// workload is selected by two Telemetries. Compare Istio's <c>telemetry/selector.go</c> (SelectorAnalyzer), which
/// matches against Pods; the workloads here are the Deployments and Pods in the configuration plus the gateway
/// workload its Gateways select, and the check runs only when the configuration holds Deployments or Pods.
/// </summary>
public sealed class TelemetrySelectorAnalyzer : IAnalyzer
{
    public string Name => "telemetry.SelectorAnalyzer";

    public string Description => "Checks that a Telemetry's selector matches a workload and that no workload is selected by two Telemetries";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.ReferencedResourceNotFound.Code, Messages.ConflictingTelemetryWorkloadSelectors.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Telemetry", "Deployment", "Pod", "Gateway"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        if (index.Workloads.Count == 0)
        {
            yield break;
        }

        var candidates = PolicyScope.Candidates(index, context);
        var byWorkload = new Dictionary<Workload, List<Model.Telemetry>>();
        foreach (var telemetry in context.Config.OfType<Model.Telemetry>())
        {
            var labels = telemetry.Spec.Selector?.MatchLabels ?? Model.Empty.Map<string>();
            if (labels.Count == 0)
            {
                continue;
            }

            // Istio looks only in the Telemetry's own namespace.
            var selected = candidates
                .Where(w => w.Namespace == telemetry.Metadata.Namespace && Labels.Matches(labels, w.Labels))
                .ToList();
            if (selected.Count == 0)
            {
                yield return Messages.ReferencedResourceNotFound.At(
                    telemetry,
                    "spec.selector.matchLabels",
                    $"No workload in namespace {telemetry.Metadata.Namespace} has the labels {Labels.ToSelectorString(labels)}: fix the selector or the pod labels.",
                    "selector",
                    Messages.Quote(Labels.ToSelectorString(labels)));
            }

            foreach (var workload in selected)
            {
                if (!byWorkload.TryGetValue(workload, out var list))
                {
                    byWorkload[workload] = list = [];
                }

                list.Add(telemetry);
            }
        }

        foreach (var (workload, telemetries) in byWorkload.Where(pair => pair.Value.Count > 1))
        {
            var names = Messages.GoList(telemetries.Select(t => t.Metadata.Name).Order(StringComparer.Ordinal));
            foreach (var telemetry in telemetries)
            {
                yield return Messages.ConflictingTelemetryWorkloadSelectors.At(
                    telemetry,
                    "metadata.name",
                    "Give each workload one Telemetry: narrow the selectors, or merge the resources.",
                    names,
                    Messages.Quote(workload.Namespace),
                    Messages.Quote(workload.Name.Length > 0 ? workload.Name : workload.DisplayName));
            }
        }
    }
}

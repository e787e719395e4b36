using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis.Telemetry;

/// <summary>
/// IST0160: more than one Telemetry in a namespace has no workload selector (nor a targetRef), so which one applies
/// is undefined. Compare Istio's <c>telemetry/default_selector.go</c> (DefaultSelectorAnalyzer).
/// </summary>
public sealed class TelemetryDefaultSelectorAnalyzer : IAnalyzer
{
    public string Name => "telemetry.DefaultSelectorAnalyzer";

    public string Description => "Checks that a namespace has at most one Telemetry without a selector";

    public IReadOnlyList<string> Codes { get; } = [Messages.MultipleTelemetriesWithoutWorkloadSelectors.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Telemetry"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var groups = context.Config.OfType<Model.Telemetry>()
            .Where(t => t.Spec.Selector is null && t.Spec.TargetRef is null && t.Spec.TargetRefs.Count == 0)
            .GroupBy(t => t.Metadata.Namespace)
            .Where(g => g.Count() > 1);
        foreach (var group in groups)
        {
            var names = Messages.GoList(group.Select(t => t.Metadata.Name).Order(StringComparer.Ordinal));
            foreach (var telemetry in group)
            {
                yield return Messages.MultipleTelemetriesWithoutWorkloadSelectors.At(
                    telemetry,
                    "metadata.name",
                    "Keep one Telemetry without a selector per namespace and merge the others into it.",
                    names,
                    Messages.Quote(group.Key));
            }
        }
    }
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Injection;

/// <summary>
/// IST0102/IST0123: a Namespace in the configuration is labelled for sidecar injection (or ambient), and with one
/// kind of injection label only. Compare Istio's <c>injection/injection.go</c>.
/// </summary>
public sealed class NamespaceInjectionAnalyzer : IAnalyzer
{
    internal const string InjectionLabel = "istio-injection";
    internal const string RevisionLabel = "istio.io/rev";
    internal const string DataplaneModeLabel = "istio.io/dataplane-mode";

    public string Name => "injection.Analyzer";

    public string Description => "Checks that namespaces are labelled for sidecar injection, with one kind of label";

    public IReadOnlyList<string> Codes { get; } = [Messages.NamespaceNotInjected.Code, Messages.NamespaceMultipleInjectionLabels.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Namespace"];

    /// <summary>Whether the namespace's pods get a proxy: injection enabled, a revision, or ambient mode.</summary>
    internal static bool IsEnrolled(Namespace ns) =>
        ns.Metadata.Labels.TryGetValue(InjectionLabel, out var injection) && injection == "enabled"
        || ns.Metadata.Labels.ContainsKey(RevisionLabel)
        || ns.Metadata.Labels.TryGetValue(DataplaneModeLabel, out var mode) && mode == "ambient";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var ns in context.Config.OfType<Namespace>())
        {
            var name = ns.Metadata.Name;
            if (name is "kube-system" or "kube-public" or "kube-node-lease" or "local-path-storage" || name == context.RootNamespace
                || name == context.GatewayNamespace)
            {
                continue;
            }

            var labels = ns.Metadata.Labels;
            if (labels.ContainsKey(InjectionLabel) && labels.ContainsKey(RevisionLabel))
            {
                yield return Messages.NamespaceMultipleInjectionLabels.At(
                    ns, $"metadata.labels.{RevisionLabel}",
                    $"Keep either {InjectionLabel} or {RevisionLabel}.",
                    Messages.GoList([InjectionLabel, RevisionLabel]));
                continue;
            }

            if (!labels.ContainsKey(InjectionLabel) && !labels.ContainsKey(RevisionLabel) && !labels.ContainsKey(DataplaneModeLabel))
            {
                yield return Messages.NamespaceNotInjected.At(ns, "metadata.labels", null, name);
            }
        }
    }
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Injection;

/// <summary>
/// IST0102/IST0123/IST0103: a Namespace in the configuration is labelled for sidecar injection (or ambient), and with
/// one kind of injection label only; a Pod (given as a manifest) in a namespace labelled <c>istio-injection=enabled</c>
/// has the <c>istio-proxy</c> container, unless it opts out (<c>sidecar.istio.io/inject: "false"</c> as label or
/// annotation) or uses the host network. Compare Istio's <c>injection/injection.go</c> (Analyzer).
/// </summary>
public sealed class NamespaceInjectionAnalyzer : IAnalyzer
{
    internal const string InjectionLabel = "istio-injection";
    internal const string RevisionLabel = "istio.io/rev";
    internal const string DataplaneModeLabel = "istio.io/dataplane-mode";

    public string Name => "injection.Analyzer";

    public string Description => "Checks that namespaces are labelled for sidecar injection, with one kind of label";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.NamespaceNotInjected.Code, Messages.NamespaceMultipleInjectionLabels.Code, Messages.PodMissingProxy.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Namespace", "Pod"];

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

        // Istio counts only the istio-injection=enabled label here (a revision label does not make its pods checked).
        var injected = context.Config.OfType<Namespace>()
            .Where(ns => ns.Metadata.Name != context.RootNamespace &&
                         ns.Metadata.Labels.TryGetValue(InjectionLabel, out var value) && value == "enabled")
            .Select(ns => ns.Metadata.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var pod in context.Config.OfType<Pod>().Where(p => injected.Contains(p.Metadata.Namespace)))
        {
            var optOut = pod.Metadata.Labels.TryGetValue(SidecarInject, out var inject) ? inject
                : pod.Metadata.Annotations.GetValueOrDefault(SidecarInject);
            if (string.Equals(optOut, "false", StringComparison.OrdinalIgnoreCase) || pod.Spec.HostNetwork == true)
            {
                continue;
            }

            if (!pod.Spec.Containers.Concat(pod.Spec.InitContainers).Any(c => c.Name == "istio-proxy"))
            {
                yield return Messages.PodMissingProxy.At(
                    pod,
                    "spec.containers",
                    "A Pod written before injection has no proxy yet; one taken from the cluster should have it: restart its workload.",
                    $"{pod.Metadata.Namespace}/{pod.Metadata.Name}");
            }
        }
    }

    private const string SidecarInject = "sidecar.istio.io/inject";
}

using Ingress.Config.Analysis.Injection;
using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Security;

/// <summary>
/// ING2005: a STRICT PeerAuthentication for workloads that get no sidecar, because their namespace (in the
/// configuration) has no <c>istio-injection=enabled</c>, <c>istio.io/rev</c> or ambient label and the pod template
/// does not opt in with <c>sidecar.istio.io/inject: "true"</c>. Nothing enforces mutual TLS for them.
/// </summary>
public sealed class StrictMtlsInjectionAnalyzer : IAnalyzer
{
    private const string InjectKey = "sidecar.istio.io/inject";

    public string Name => "security.StrictMtlsInjectionAnalyzer";

    public string Description => "Checks that workloads a STRICT PeerAuthentication targets have a sidecar to enforce it";

    public IReadOnlyList<string> Codes { get; } = [Messages.StrictMtlsWithoutSidecar.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["PeerAuthentication", "Namespace", "Deployment", "Pod"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        foreach (var policy in context.Config.OfType<PeerAuthentication>())
        {
            var path = StrictPath(policy);
            if (path is null)
            {
                continue;
            }

            foreach (var workload in index.Workloads.Where(w => PolicyScope.AppliesTo(policy, policy.Spec.Selector, w, context.RootNamespace)))
            {
                var ns = index.FindNamespace(workload.Namespace);
                if (ns is null || NamespaceInjectionAnalyzer.IsEnrolled(ns) || OptsIn(workload))
                {
                    continue; // Unknown namespace, or the workload gets a proxy.
                }

                yield return Messages.StrictMtlsWithoutSidecar.At(
                    policy,
                    path,
                    $"Label the namespace (kubectl label namespace {workload.Namespace} istio-injection=enabled) and restart the workload.",
                    $"{policy.Metadata.Namespace}/{policy.Metadata.Name}",
                    workload.DisplayName,
                    workload.Namespace);
            }
        }
    }

    private static string? StrictPath(PeerAuthentication policy)
    {
        if (policy.Spec.Mtls?.Mode == "STRICT")
        {
            return "spec.mtls.mode";
        }

        var port = policy.Spec.PortLevelMtls.FirstOrDefault(p => p.Value.Mode == "STRICT");
        return port.Value is null ? null : $"spec.portLevelMtls.{port.Key}.mode";
    }

    private static bool OptsIn(Workload workload) =>
        workload.Labels.TryGetValue(InjectKey, out var label) && label == "true"
        || workload.Annotations.TryGetValue(InjectKey, out var annotation) && annotation == "true";
}

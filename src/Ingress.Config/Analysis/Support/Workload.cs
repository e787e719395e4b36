using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>
/// A set of pods the configuration describes: a Deployment's pod template, a Pod manifest, or (<see cref="Source"/> null) the ingress
/// gateway that Istio installs and the configuration only refers to by a Gateway selector.
/// </summary>
internal sealed record Workload(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    Resource? Source)
{
    /// <summary>Whether the workload is assumed (no Deployment in the configuration describes it).</summary>
    public bool IsAssumed => Source is null;

    /// <summary>How a message names it: <c>Deployment ns/name</c>, or the assumed gateway with its labels.</summary>
    public string DisplayName => Source?.DisplayName
        ?? $"the gateway workload in namespace {Namespace} (pods labelled {Support.Labels.ToSelectorString(Labels)})";

    /// <summary>A Pod given as a manifest.</summary>
    public static Workload FromPod(Pod pod) =>
        new(pod.Metadata.Namespace, pod.Metadata.Name, pod.Metadata.Labels, pod.Metadata.Annotations, pod);

    /// <summary>The workloads a Deployment runs.</summary>
    public static Workload FromDeployment(Deployment deployment)
    {
        var template = deployment.Spec.Template;
        var labels = template is { Metadata.Labels.Count: > 0 }
            ? template.Metadata.Labels
            : deployment.Spec.Selector?.MatchLabels ?? Empty.Map<string>();
        return new Workload(
            deployment.Metadata.Namespace,
            deployment.Metadata.Name,
            labels,
            template?.Metadata.Annotations ?? Empty.Map<string>(),
            deployment);
    }
}

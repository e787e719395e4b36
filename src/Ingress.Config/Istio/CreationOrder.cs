using Ingress.Config.Model;

namespace Ingress.Config.Istio;

/// <summary>
/// The order Istio gives configurations of one kind wherever the first one wins (Gateways merged for a workload,
/// VirtualServices for a host): oldest <c>creationTimestamp</c> first, then by name, then by namespace, so equal
/// timestamps (they have one-second resolution) still give one order. Istio's <c>sortConfigByCreationTime</c>
/// (<c>pilot/pkg/model/push_context.go</c>). A resource without a timestamp (a file not yet applied) counts as oldest.
/// </summary>
public static class CreationOrder
{
    /// <summary>The resources in Istio's order.</summary>
    public static IEnumerable<T> Sort<T>(IEnumerable<T> resources) where T : Resource =>
        resources
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Metadata.Namespace, StringComparer.Ordinal);
}

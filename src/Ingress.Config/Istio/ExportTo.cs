namespace Ingress.Config.Istio;

/// <summary>
/// Visibility of networking configuration across namespaces (<c>exportTo</c> of a VirtualService, DestinationRule or
/// ServiceEntry, and a Service's <c>networking.istio.io/exportTo</c> annotation; <c>pkg/config/visibility</c>,
/// <c>validation.go: validateExportTo</c>, and how <c>pilot/pkg/model/push_context.go</c> indexes resources by it).
/// </summary>
/// <remarks>
/// Each entry is <c>.</c> (the resource's own namespace), <c>*</c> (every namespace) or a namespace name; <c>~</c>
/// (no one) is only for ServiceEntries. No entries means "every namespace", which is Istio's default
/// (<c>defaultVirtualServiceExportTo</c> and friends in MeshConfig, <c>*</c> unless changed).
/// </remarks>
public static class ExportTo
{
    /// <summary>The Service annotation that sets a Service's visibility.</summary>
    public const string ServiceAnnotation = "networking.istio.io/exportTo";

    /// <summary>
    /// Whether a resource in <paramref name="resourceNamespace"/> exported to <paramref name="exportTo"/> is seen by
    /// proxies (and routes) in <paramref name="viewerNamespace"/>.
    /// </summary>
    public static bool IsVisible(string resourceNamespace, IReadOnlyCollection<string> exportTo, string viewerNamespace)
    {
        if (exportTo.Count == 0)
        {
            return true;
        }

        foreach (var entry in exportTo)
        {
            var target = entry.Trim();
            if (target == "*" || (target == "." && resourceNamespace == viewerNamespace) || target == viewerNamespace)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A Service's exportTo annotation as a list (comma-separated, blanks ignored); empty when absent.</summary>
    public static IReadOnlyList<string> OfServiceAnnotation(IReadOnlyDictionary<string, string> annotations) =>
        annotations.TryGetValue(ServiceAnnotation, out var value)
            ? value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];

    /// <summary>
    /// Istio's validateExportTo for a VirtualService or DestinationRule: each entry <c>.</c>, <c>*</c> or a DNS-1123
    /// namespace (not <c>~</c>), no entry twice (<c>.</c> and the own namespace count as the same), <c>*</c> alone,
    /// and a DestinationRule with a workload selector exported to its own namespace only. Every message in order.
    /// </summary>
    public static IReadOnlyList<string> Errors(string resourceNamespace, IReadOnlyList<string> exportTo, bool destinationRuleWithSelector = false)
    {
        var errors = new List<string>();
        if (exportTo.Count == 0)
        {
            return errors;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in exportTo)
        {
            var key = entry == "." ? resourceNamespace : entry;
            if (seen.Contains(key))
            {
                errors.Add(key != entry
                    ? $"duplicate entries in exportTo: . and current namespace {resourceNamespace}"
                    : $"duplicate entries in exportTo for entry {entry}");
            }
            else if (VisibilityError(key) is { } error)
            {
                errors.Add(error);
            }
            else
            {
                seen.Add(key);
            }
        }

        if (destinationRuleWithSelector && seen.Count > 0)
        {
            if (!seen.Contains(resourceNamespace))
            {
                errors.Add("destination rule with workload selector cannot have exportTo beyond current namespace");
            }
            else if (seen.Count > 1)
            {
                errors.Add("destination rule with workload selector cannot have multiple entries in exportTo");
            }
        }

        if (seen.Contains("*") && exportTo.Count > 1)
        {
            errors.Add("cannot have both public (*) and non-public exportTo values for a resource");
        }

        return errors;
    }

    /// <summary>Istio's visibility.Instance.Validate for one entry (after <c>.</c> became the namespace).</summary>
    private static string? VisibilityError(string entry) => entry switch
    {
        "." or "*" => null,
        "~" => "exportTo ~ (none) is not allowed for Istio configuration objects",
        _ when DnsLabels.IsValid(entry) => null,
        _ => $"only .,*,~, or a valid DNS 1123 label is allowed as exportTo entry (found \"{entry}\")",
    };
}

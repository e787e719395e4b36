using Ingress.Config.Model;

namespace Ingress.Config.GatewayApi;

/// <summary>Kubernetes label selectors (<c>matchLabels</c> and <c>matchExpressions</c>), as the API server reads them.</summary>
public static class LabelSelectors
{
    /// <summary>The label every namespace carries with its own name (Kubernetes 1.21+); Istio adds it if missing.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>Whether the labels satisfy the selector; null when the selector is invalid (an unknown operator).</summary>
    public static bool? Matches(LabelSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        if (!selector.MatchLabels.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value))
        {
            return selector.MatchExpressions.Any(e => !KnownOperator(e.Operator)) ? null : false;
        }

        var result = true;
        foreach (var requirement in selector.MatchExpressions)
        {
            var present = labels.TryGetValue(requirement.Key ?? "", out var value);
            bool? holds = requirement.Operator switch
            {
                "In" => present && requirement.Values.Contains(value!),
                "NotIn" => !present || !requirement.Values.Contains(value!),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => null,
            };
            if (holds is null)
            {
                return null;
            }

            result &= holds.Value;
        }

        return result;
    }

    /// <summary>A namespace's labels with its name label added, as Istio matches namespace selectors.</summary>
    public static IReadOnlyDictionary<string, string> NamespaceLabels(string name, IReadOnlyDictionary<string, string> labels)
    {
        if (labels.TryGetValue(NamespaceNameLabel, out var written) && written == name)
        {
            return labels;
        }

        var copy = labels.ToDictionary(StringComparer.Ordinal);
        copy[NamespaceNameLabel] = name;
        return copy;
    }

    private static bool KnownOperator(string? op) => op is "In" or "NotIn" or "Exists" or "DoesNotExist";
}

namespace Ingress.Config.Analysis.Support;

/// <summary>Kubernetes label selectors (equality only, as Istio's <c>matchLabels</c>).</summary>
internal static class Labels
{
    /// <summary>Whether every key/value of <paramref name="selector"/> is among <paramref name="labels"/>; an empty selector matches all.</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>Whether two selectors agree on every key they share and share at least one.</summary>
    public static bool Overlap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        var shared = a.Keys.Where(b.ContainsKey).ToList();
        return shared.Count > 0 && shared.All(key => a[key] == b[key]);
    }

    /// <summary>The selector as Kubernetes prints it: <c>app=x,istio=ingressgateway</c> (keys sorted).</summary>
    public static string ToSelectorString(IReadOnlyDictionary<string, string> selector) =>
        string.Join(',', selector.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
}

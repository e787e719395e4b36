namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// Envoy's <c>%RESPONSE_FLAGS%</c> as a comma-separated set in Envoy's own order (<c>ResponseFlagUtils</c>), so that a
/// request with several flags (a delay and then a timeout, exhausted retries) prints them as Istio's gateway does.
/// </summary>
public static class ResponseFlagSet
{
    private static readonly string[] Order =
    [
        "LH", "UH", "UT", "LR", "UR", "UF", "UC", "UO", "NR", "DI", "FI", "RL", "UAEX", "RLSE", "DC", "URX", "SI", "IH",
        "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM", "DF", "DO",
    ];

    /// <summary>The flags with <paramref name="flag"/> (one flag, or several comma-separated) added; null stays none.</summary>
    public static string? Add(string? flags, string? flag)
    {
        if (string.IsNullOrEmpty(flag))
        {
            return flags;
        }

        if (string.IsNullOrEmpty(flags))
        {
            return flag;
        }

        var set = new HashSet<string>(flags.Split(','), StringComparer.Ordinal);
        set.UnionWith(flag.Split(','));
        return string.Join(',', set.OrderBy(f => Array.IndexOf(Order, f) is var i && i < 0 ? int.MaxValue : i).ThenBy(f => f, StringComparer.Ordinal));
    }
}

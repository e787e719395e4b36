using System.Text.Json;

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>
/// Reads claims of a verified JWT the way Envoy's metadata matchers see them: nested objects by path, a string or a
/// list of strings, and the space-delimited claims (<c>scope</c>, <c>permission</c>) split into lists.
/// </summary>
public static class JwtClaims
{
    /// <summary>The claims Istio always normalizes from space-delimited strings into lists.</summary>
    public static readonly IReadOnlyList<string> SpaceDelimited = ["permission", "scope"];

    /// <summary>
    /// The string values at a claim path (<c>["groups"]</c>, <c>["realm", "roles"]</c>): one for a string claim, each
    /// string element for a list claim, nothing for a missing claim or another type.
    /// </summary>
    public static IReadOnlyList<string> Values(JsonElement payload, IReadOnlyList<string> path)
    {
        var current = payload;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return [];
            }
        }

        if (current.ValueKind == JsonValueKind.String)
        {
            var text = current.GetString() ?? "";
            if (path.Count == 1 && SpaceDelimited.Contains(path[0]))
            {
                return text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }

            return [text];
        }

        if (current.ValueKind == JsonValueKind.Array)
        {
            return current.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString() ?? "").ToArray();
        }

        return [];
    }

    /// <summary>
    /// Splits <c>[a][b]</c> (after <c>request.auth.claims</c>) or <c>.a</c> / <c>[a][b]</c> (after
    /// <c>@request.auth.claims</c>) into claim names; null when the syntax is wrong.
    /// </summary>
    public static IReadOnlyList<string>? ParsePath(string text)
    {
        if (text.StartsWith('.') && text.Length > 1 && !text.Contains('[', StringComparison.Ordinal))
        {
            return [text[1..]];
        }

        var names = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '[')
            {
                return null;
            }

            var close = text.IndexOf(']', i);
            if (close < 0 || close == i + 1)
            {
                return null;
            }

            names.Add(text[(i + 1)..close]);
            i = close + 1;
        }

        return names.Count == 0 ? null : names;
    }
}

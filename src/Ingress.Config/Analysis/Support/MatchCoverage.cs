using System.Text.RegularExpressions;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>
/// Whether one HTTP match block takes every request another one would (so the later one never sees a request):
/// each condition of the earlier block must hold for every request the later block accepts.
/// </summary>
internal static class MatchCoverage
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether a match block accepts every request (no request conditions, path prefix <c>/</c> at most).</summary>
    public static bool IsCatchAll(HttpMatchRequest match) => Covers(match, new HttpMatchRequest());

    /// <summary>Whether <paramref name="earlier"/> accepts every request that <paramref name="later"/> accepts.</summary>
    public static bool Covers(HttpMatchRequest earlier, HttpMatchRequest later)
    {
        if (earlier.Port is not null && earlier.Port != later.Port)
        {
            return false;
        }

        if (earlier.Gateways.Count > 0 && (later.Gateways.Count == 0 || !later.Gateways.All(earlier.Gateways.Contains)))
        {
            return false;
        }

        if (!Labels.Matches(earlier.SourceLabels, later.SourceLabels))
        {
            return false;
        }

        if (earlier.SourceNamespace is not null && earlier.SourceNamespace != later.SourceNamespace)
        {
            return false;
        }

        return UriCovers(earlier, later)
            && Covers(earlier.Scheme, later.Scheme)
            && Covers(earlier.Method, later.Method)
            && Covers(earlier.Authority, later.Authority)
            && MapCovers(earlier.Headers, later.Headers)
            && MapCovers(earlier.QueryParams, later.QueryParams)
            && earlier.WithoutHeaders.All(pair => later.WithoutHeaders.TryGetValue(pair.Key, out var other) && other == pair.Value);
    }

    private static bool MapCovers(IReadOnlyDictionary<string, StringMatch> earlier, IReadOnlyDictionary<string, StringMatch> later) =>
        earlier.All(pair => later.TryGetValue(pair.Key, out var other) && Covers(pair.Value, other));

    private static bool AllPaths(StringMatch? uri) =>
        uri is null
        || (uri.Exact is null && uri.Regex is null && uri.Prefix is null or "" or "/")
        || (uri.Exact is null && uri.Prefix is null && uri.Regex is ".*" or "/.*");

    private static bool UriCovers(HttpMatchRequest earlier, HttpMatchRequest later)
    {
        if (AllPaths(earlier.Uri))
        {
            return true;
        }

        if (later.Uri is null || AllPaths(later.Uri))
        {
            return false;
        }

        var ignoreCase = earlier.IgnoreUriCase == true;
        if (!ignoreCase && later.IgnoreUriCase == true)
        {
            return false;
        }

        return Covers(earlier.Uri, later.Uri, ignoreCase);
    }

    private static bool Covers(StringMatch? earlier, StringMatch? later, bool ignoreCase = false)
    {
        if (earlier is null)
        {
            return true;
        }

        if (later is null)
        {
            return false;
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (earlier.Exact is { } exact)
        {
            return string.Equals(later.Exact, exact, comparison);
        }

        if (earlier.Prefix is { } prefix)
        {
            return (later.Exact ?? later.Prefix) is { } value && value.StartsWith(prefix, comparison);
        }

        if (earlier.Regex is { } regex)
        {
            if (later.Regex == regex)
            {
                return true;
            }

            return later.Exact is { } value && FullMatch(regex, value);
        }

        // No value: a presence match, which every non-empty condition on the same field implies.
        return true;
    }

    private static bool FullMatch(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.NonBacktracking, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return false; // Invalid RE2 is the validator's finding, not this one's.
        }
    }
}

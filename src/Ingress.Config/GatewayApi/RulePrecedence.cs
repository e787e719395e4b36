namespace Ingress.Config.GatewayApi;

/// <summary>
/// The order in which the rules of one hostname are tried, as Istio sorts the routes it generates
/// (<c>conversion.go: sortHTTPRoutes</c>, after sorting routes by age): an exact path before a path prefix before a
/// regular expression (the spec leaves regular expressions to the implementation), then the longer path, a method
/// match, more header matches, more query parameter matches; then the older route, the route first by
/// <c>namespace/name</c>, and the rule and match written first. A rule without any match comes last.
/// </summary>
public sealed class RulePrecedence : IComparer<ResolvedRule>
{
    public static RulePrecedence Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(ResolvedRule? x, ResolvedRule? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var a = x.Match;
        var b = y.Match;
        int result;
        if ((result = a.MatchesNothingInParticular.CompareTo(b.MatchesNothingInParticular)) != 0 ||
            (result = Rank(b).CompareTo(Rank(a))) != 0 ||
            (result = b.Path.Length.CompareTo(a.Path.Length)) != 0 ||
            (result = (b.Method is not null).CompareTo(a.Method is not null)) != 0 ||
            (result = b.Headers.Count.CompareTo(a.Headers.Count)) != 0 ||
            (result = b.QueryParams.Count.CompareTo(a.QueryParams.Count)) != 0 ||
            (result = Created(x).CompareTo(Created(y))) != 0 ||
            (result = string.CompareOrdinal(x.Route.Metadata.Namespace, y.Route.Metadata.Namespace)) != 0 ||
            (result = string.CompareOrdinal(x.Route.Metadata.Name, y.Route.Metadata.Name)) != 0 ||
            (result = x.RuleIndex.CompareTo(y.RuleIndex)) != 0)
        {
            return result;
        }

        return (x.MatchIndex ?? 0).CompareTo(y.MatchIndex ?? 0);
    }

    /// <summary>Istio's <c>getURIRank</c>: exact 3, prefix 2, regular expression 1, no path condition -1.</summary>
    public static int Rank(RouteMatch match) => match.PathKind switch
    {
        PathMatchKind.Exact => 3,
        PathMatchKind.Prefix => 2,
        PathMatchKind.RegularExpression => 1,
        _ => -1,
    };

    /// <summary>A route without a creation time (not applied yet) counts as the newest.</summary>
    private static DateTimeOffset Created(ResolvedRule rule) => rule.Route.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue;
}

using System.Text.RegularExpressions;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>What a matched route does: forward, redirect or answer directly.</summary>
public abstract class RouteAction;

/// <summary>Forward to one of the weighted destinations.</summary>
public sealed class ForwardAction : RouteAction
{
    public required IReadOnlyList<WeightedDestination> Destinations { get; init; }

    /// <summary>Sum of the weights; the pick is uniform over it.</summary>
    public required int TotalWeight { get; init; }

    /// <summary>
    /// The status when the picked destination has no cluster: Envoy's 503 (NC), or 500 for Gateway API routes (Istio
    /// sets <c>cluster_not_found_response_code</c> for them, as the Gateway API asks of a backend that does not resolve).
    /// </summary>
    public int ClusterNotFoundStatus { get; init; } = 503;

    /// <summary>Picks a destination by weight (one destination: no random draw).</summary>
    public WeightedDestination Pick()
    {
        if (Destinations.Count == 1)
        {
            return Destinations[0];
        }

        var draw = Random.Shared.Next(TotalWeight);
        for (var i = 0; i < Destinations.Count; i++)
        {
            draw -= Destinations[i].Weight;
            if (draw < 0)
            {
                return Destinations[i];
            }
        }

        return Destinations[^1];
    }
}

/// <summary>A destination of a route with its weight and its own header operations.</summary>
public sealed class WeightedDestination
{
    /// <summary><c>outbound|port|subset|host</c>.</summary>
    public required string ClusterName { get; init; }

    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? Subset { get; init; }
    public required int Weight { get; init; }

    /// <summary>The cluster, or null when the host is unknown or the subset undefined (Envoy answers 503 NC).</summary>
    public Cluster? Cluster { get; init; }

    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;
    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;

    /// <summary>An authority set by the destination's own headers (route-level settings win over it).</summary>
    public string? Authority { get; init; }
}

/// <summary>
/// Answer with a redirect: Envoy's <c>RedirectAction</c> as Istio fills it, the Location built by
/// <c>LocalActionStage.Location</c> as Envoy's <c>newUri</c>.
/// </summary>
public sealed class RedirectAction : RouteAction
{
    /// <summary><c>scheme_redirect</c>, or null to keep the request's scheme.</summary>
    public string? Scheme { get; init; }

    /// <summary><c>host_redirect</c> written verbatim, or null to keep the request's Host (see <see cref="Port"/>).</summary>
    public string? Authority { get; init; }

    /// <summary>
    /// <c>port_redirect</c>: the port written after the host (the Host's own port is then dropped), or 0 for none, in
    /// which case the Host's port stays unless the scheme changes and it is the old scheme's default.
    /// </summary>
    public int Port { get; init; }

    /// <summary>The whole new path (<c>uri</c>), or null.</summary>
    public string? Path { get; init; }

    /// <summary>The prefix replacement (<c>prefixRewrite</c>), or null.</summary>
    public PathRewrite? PrefixRewrite { get; init; }

    public required int StatusCode { get; init; }
}

/// <summary>Answer with a fixed status and body (Envoy <c>direct_response</c>).</summary>
public sealed class DirectResponseAction : RouteAction
{
    public required int StatusCode { get; init; }
    public required byte[] Body { get; init; }
}

/// <summary>
/// A compiled path rewrite: the matched prefix replaced (prefix match, or <c>/</c> with no uri match), the whole path
/// replaced (exact or regex match), or a regex substitution (<c>uriRegexRewrite</c>). The query is kept by the caller.
/// </summary>
public sealed class PathRewrite
{
    private readonly Regex? _regex;
    private readonly string _replacement;
    private readonly int _prefixLength;

    private PathRewrite(Regex? regex, string replacement, int prefixLength)
    {
        _regex = regex;
        _replacement = replacement;
        _prefixLength = prefixLength;
    }

    /// <summary>Replaces the first <paramref name="prefixLength"/> characters with the rewrite.</summary>
    public static PathRewrite ReplacePrefix(string rewrite, int prefixLength) => new(null, rewrite, prefixLength);

    /// <summary>Replaces the whole path.</summary>
    public static PathRewrite ReplaceWhole(string rewrite) => new(null, rewrite, -1);

    /// <summary>Replaces every match of an RE2 pattern, <c>\1</c>-style groups allowed.</summary>
    public static PathRewrite RegexReplace(Regex regex, string rewrite) => new(regex, Re2.TranslateReplacement(rewrite), 0);

    /// <summary>The rewritten path.</summary>
    public string Apply(string path)
    {
        if (_regex is not null)
        {
            return _regex.Replace(path, _replacement);
        }

        if (_prefixLength < 0)
        {
            return _replacement;
        }

        return string.Concat(_replacement, path.AsSpan(Math.Min(_prefixLength, path.Length)));
    }

    /// <inheritdoc />
    public override string ToString() => _regex is not null
        ? $"regex {_regex} -> {_replacement}"
        : _prefixLength < 0 ? $"path -> {_replacement}" : $"prefix({_prefixLength}) -> {_replacement}";
}

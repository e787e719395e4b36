
namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>One Envoy route: a match, an action and the per-route policies, compiled from one VirtualService match.</summary>
public sealed class RouteEntry
{
    /// <summary><c>&lt;http.name&gt;.&lt;match.name&gt;</c> as Istio names a route (access log <c>%ROUTE_NAME%</c>); may be empty.</summary>
    public required string Name { get; init; }

    public required RequestMatcher Match { get; init; }
    public required RouteAction Action { get; init; }

    /// <summary>The tracing decorator: <c>&lt;dest FQDN&gt;:&lt;port&gt;&lt;path&gt;</c> or <c>&lt;VS name&gt;:&lt;gateway port&gt;&lt;path&gt;</c>.</summary>
    public required string Operation { get; init; }

    /// <summary>The VirtualService it came from (<c>ns/name</c>) and the rule/match index, for config dumps.</summary>
    public required string Source { get; init; }

    public HeaderMutation RequestHeaders { get; init; } = HeaderMutation.None;
    public HeaderMutation ResponseHeaders { get; init; } = HeaderMutation.None;
    public PathRewrite? Rewrite { get; init; }

    /// <summary><c>rewrite.authority</c>, else a route-level set/add of <c>:authority</c> or <c>host</c>.</summary>
    public string? Authority { get; init; }

    /// <summary>Retries, timeout, fault, CORS and mirror of the route.</summary>
    public RoutePolicies Policies { get; init; } = RoutePolicies.None;
}

/// <summary>An Envoy virtual host: the domains it answers for and its ordered routes.</summary>
public sealed class VirtualHost
{
    /// <summary>The domain (one per vhost, as Istio builds gateway vhosts).</summary>
    public required string Domain { get; init; }

    public required IReadOnlyList<RouteEntry> Routes { get; init; }

    /// <summary>Set by <c>tls.httpsRedirect</c> on the HTTP server: every request gets a 301 to https.</summary>
    public bool RequireTls { get; init; }

    /// <summary>
    /// VirtualService rules that became no route because an earlier catch-all rule of theirs takes every request (Istio
    /// builds nothing after a catch-all), for <c>ingress explain</c> to name.
    /// </summary>
    public IReadOnlyList<UnreachableRule> Unreachable { get; init; } = [];

    /// <summary>The first route whose match holds, or null (404 NR).</summary>
    public RouteEntry? Match(IRoutedRequest request)
    {
        var routes = Routes;
        for (var i = 0; i < routes.Count; i++)
        {
            if (routes[i].Match.Matches(request))
            {
                return routes[i];
            }
        }

        return null;
    }
}

/// <summary>A VirtualService rule (or match) no route was built for, and the catch-all route that shadows it.</summary>
/// <param name="Source">The rule: <c>ns/name spec.http[i]</c> or <c>ns/name spec.http[i].match[j]</c>.</param>
/// <param name="ShadowedBy">The catch-all route's source.</param>
public sealed record UnreachableRule(string Source, string ShadowedBy);

/// <summary>
/// A route configuration (<c>http.80</c>, <c>https.443.https.gw.ns</c>): virtual hosts selected by Host exact, then the
/// longest <c>*.suffix</c>, then <c>*</c>, ignoring the port as Istio's gateways do.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, VirtualHost> _exact;
    private readonly Dictionary<string, VirtualHost>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private readonly (string Suffix, VirtualHost Host)[] _wildcards;
    private readonly VirtualHost? _any;

    public RouteTable(string name, IReadOnlyList<VirtualHost> virtualHosts)
    {
        Name = name;
        VirtualHosts = virtualHosts;
        _exact = new Dictionary<string, VirtualHost>(StringComparer.OrdinalIgnoreCase);
        var wildcards = new List<(string, VirtualHost)>();
        foreach (var vhost in virtualHosts)
        {
            if (vhost.Domain == "*")
            {
                _any = vhost;
            }
            else if (vhost.Domain.StartsWith('*'))
            {
                wildcards.Add((vhost.Domain[1..], vhost));
            }
            else
            {
                _exact.TryAdd(vhost.Domain, vhost);
            }
        }

        _wildcards = [.. wildcards.OrderByDescending(w => w.Item1.Length)];
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The route configuration name, as Istio names it.</summary>
    public string Name { get; }

    /// <summary>The virtual hosts in the order they were built.</summary>
    public IReadOnlyList<VirtualHost> VirtualHosts { get; }

    /// <summary>The virtual host for a Host header value (its port ignored), or null.</summary>
    public VirtualHost? Select(ReadOnlySpan<char> authority) => Select(authority, out _);

    /// <summary>The virtual host for a Host header value (its port ignored), or null, and which rule chose it.</summary>
    public VirtualHost? Select(ReadOnlySpan<char> authority, out HostMatch how)
    {
        var host = HostNames.StripPort(authority);
        if (_exactLookup.TryGetValue(host, out var exact))
        {
            how = HostMatch.Exact;
            return exact;
        }

        foreach (var (suffix, vhost) in _wildcards)
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                how = HostMatch.Wildcard;
                return vhost;
            }
        }

        how = _any is null ? HostMatch.None : HostMatch.Any;
        return _any;
    }
}

/// <summary>How a Host header (or an SNI) chose a virtual host (or a server): Envoy's order.</summary>
public enum HostMatch
{
    /// <summary>Nothing matched.</summary>
    None,

    /// <summary>The name itself.</summary>
    Exact,

    /// <summary>The longest <c>*.suffix</c> that covers it.</summary>
    Wildcard,

    /// <summary><c>*</c>: any name.</summary>
    Any,
}

using Ingress.Config.Model;

namespace Ingress.Config.GatewayApi;

/// <summary>
/// Turns a route's rules into <see cref="ResolvedRule"/>s as Istio's <c>convertHTTPRoute</c>/<c>convertGRPCRoute</c> do
/// for a Gateway parent: one entry per match, filters and backends resolved. A reference that does not resolve (a
/// missing Service, a kind Istio cannot route to, a cross-namespace reference without a ReferenceGrant) leaves the rule
/// in place and gets 500 for its share; any other problem (a filter Istio does not implement, a Service named by its
/// hostname, a backend without a port) drops every rule of the route, as Istio does.
/// </summary>
internal sealed class RouteTranslator(ConfigSet config, ReferenceGrants grants)
{
    /// <summary>The rules of a route (empty on a hard error), the problems of its references, and the hard error.</summary>
    public Translation Translate(RouteResource route) => route switch
    {
        KubernetesHttpRoute http => Translate(route, http.Spec.Rules.Select(r => new RuleView(
            r.Name,
            r.Matches.Select(HttpMatch).ToList(),
            r.Filters.Select(f => new FilterView(f.Type, f.RequestHeaderModifier, f.ResponseHeaderModifier, f.RequestMirror,
                f.RequestRedirect, f.UrlRewrite, f.Cors)).ToList(),
            r.BackendRefs.Select(b => (BackendRef)b).ToList(),
            r.BackendRefs.Select(b => b.Filters.Select(f => new FilterView(f.Type, f.RequestHeaderModifier,
                f.ResponseHeaderModifier, f.RequestMirror, f.RequestRedirect, f.UrlRewrite, f.Cors)).ToList()).ToList(),
            Timeout(r.Timeouts))).ToList(), hardMirrorErrors: false),
        KubernetesGrpcRoute grpc => Translate(route, grpc.Spec.Rules.Select(r => new RuleView(
            r.Name,
            r.Matches.Select(GrpcMatch).ToList(),
            r.Filters.Select(f => new FilterView(f.Type, f.RequestHeaderModifier, f.ResponseHeaderModifier, f.RequestMirror)).ToList(),
            r.BackendRefs.Select(b => (BackendRef)b).ToList(),
            r.BackendRefs.Select(b => b.Filters.Select(f => new FilterView(f.Type, f.RequestHeaderModifier,
                f.ResponseHeaderModifier, f.RequestMirror)).ToList()).ToList(),
            null)).ToList(), hardMirrorErrors: true),
        _ => new Translation([], [], null),
    };

    /// <param name="hardMirrorErrors">A mirror that does not resolve drops the route (gRPC) or just the mirror (HTTP).</param>
    private Translation Translate(RouteResource route, List<RuleView> views, bool hardMirrorErrors)
    {
        var rules = new List<ResolvedRule>();
        var problems = new List<StatusCondition>();
        for (var i = 0; i < views.Count; i++)
        {
            var view = views[i];
            var path = $"spec.rules[{i}]";
            var matches = view.Matches.Count == 0
                ? [RouteMatch.All with { MatchesNothingInParticular = true }]
                : view.Matches;
            for (var j = 0; j < matches.Count; j++)
            {
                var match = matches[j];
                var actions = new RuleActions { Timeout = view.Timeout };
                for (var k = 0; k < view.Filters.Count; k++)
                {
                    var filter = view.Filters[k];
                    var filterPath = $"{path}.filters[{k}]";
                    switch (filter.Type)
                    {
                        case "RequestHeaderModifier":
                            actions = actions with { RequestHeaders = Headers(filter.Request) };
                            break;
                        case "ResponseHeaderModifier":
                            actions = actions with { ResponseHeaders = Headers(filter.Response) };
                            break;
                        case "RequestRedirect" when filter.Redirect is not null:
                            actions = actions with { Redirect = Redirect(filter.Redirect, match) };
                            break;
                        case "URLRewrite" when filter.Rewrite is not null:
                            actions = actions with { Rewrite = new RouteRewrite(filter.Rewrite.Hostname, PathChange(filter.Rewrite.Path, match)) };
                            break;
                        case "CORS" when filter.Cors is not null:
                            actions = actions with { Cors = filter.Cors };
                            break;
                        case "RequestMirror" when filter.Mirror is not null:
                            var mirror = Backend(route, filter.Mirror.BackendRef!, 1, $"{filterPath}.requestMirror.backendRef");
                            var mirrorProblem = mirror.Hard ?? mirror.Backend.Problem;
                            if (mirror.Hard is not null || (hardMirrorErrors && mirrorProblem is not null))
                            {
                                return Hard(mirrorProblem!);
                            }

                            if (mirrorProblem is not null)
                            {
                                problems.Add(mirrorProblem);
                            }
                            else
                            {
                                actions = actions with { Mirrors = [.. actions.Mirrors, new RouteMirror(mirror.Backend, MirrorPercent(filter.Mirror))] };
                            }

                            break;
                        default:
                            return Hard(UnsupportedFilter(filter.Type, filterPath));
                    }
                }

                var backends = new List<ResolvedBackend>();
                if (view.Backends.Sum(b => b.Weight ?? 1) == 0 && actions.Redirect is null)
                {
                    // The spec and Istio: no backend with a weight above 0 answers 500.
                    actions = actions with { DirectStatus = 500 };
                }
                else
                {
                    for (var k = 0; k < view.Backends.Count; k++)
                    {
                        if ((view.Backends[k].Weight ?? 1) == 0)
                        {
                            continue;
                        }

                        var backendPath = $"{path}.backendRefs[{k}]";
                        var resolved = Backend(route, view.Backends[k], view.Backends[k].Weight ?? 1, backendPath);
                        if (resolved.Hard is { } hard)
                        {
                            return Hard(hard);
                        }

                        var backend = resolved.Backend;
                        for (var f = 0; f < view.BackendFilters[k].Count; f++)
                        {
                            var filter = view.BackendFilters[k][f];
                            switch (filter.Type)
                            {
                                case "RequestHeaderModifier":
                                    backend = backend with { RequestHeaders = Headers(filter.Request) };
                                    break;
                                case "ResponseHeaderModifier":
                                    backend = backend with { ResponseHeaders = Headers(filter.Response) };
                                    break;
                                default:
                                    return Hard(UnsupportedFilter(filter.Type, $"{backendPath}.filters[{f}]"));
                            }
                        }

                        if (backend.Problem is { } problem)
                        {
                            problems.Add(problem);
                        }

                        backends.Add(backend);
                    }
                }

                rules.Add(new ResolvedRule
                {
                    Route = route,
                    RuleIndex = i,
                    MatchIndex = view.Matches.Count == 0 ? null : j,
                    Name = view.Name ?? $"{route.Metadata.Namespace}.{route.Metadata.Name}.{i}",
                    Match = match,
                    Actions = actions with { Backends = backends },
                });
            }
        }

        return new Translation(rules, problems, null);
    }

    private static Translation Hard(StatusCondition problem) => new([], [problem], problem);

    private static StatusCondition UnsupportedFilter(string? type, string path) =>
        new(ConditionTypes.ResolvedRefs, false, ConditionReasons.InvalidFilter, $"unsupported filter type \"{type}\"") { FieldPath = path };

    /// <summary>Istio's <c>createURIMatch</c> and friends: a PathPrefix loses its trailing <c>/</c> (except <c>/</c>).</summary>
    private static RouteMatch HttpMatch(HttpRouteMatch match)
    {
        var type = match.Path?.Type ?? "PathPrefix";
        var value = match.Path?.Value ?? "/";
        var (kind, path) = type switch
        {
            "Exact" => (PathMatchKind.Exact, value),
            "RegularExpression" => (PathMatchKind.RegularExpression, value),
            _ => (PathMatchKind.Prefix, value == "/" ? value : value.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/"),
        };
        return new RouteMatch
        {
            PathKind = kind,
            Path = path,
            Method = match.Method,
            Headers = match.Headers.Select(h => new NamedValueMatch(h.Name ?? "", h.Type == "RegularExpression", h.Value ?? "")).ToList(),
            QueryParams = match.QueryParams.Select(q => new NamedValueMatch(q.Name ?? "", q.Type == "RegularExpression", q.Value ?? "")).ToList(),
        };
    }

    /// <summary>
    /// Istio's <c>createGRPCURIMatch</c>: a gRPC method is the path <c>/Service/Method</c>; a service alone a prefix, a
    /// method alone (or any regular expression) a path expression.
    /// </summary>
    private static RouteMatch GrpcMatch(GrpcRouteMatch match)
    {
        var (kind, path) = match.Method switch
        {
            null => (PathMatchKind.Any, ""),
            { Type: "RegularExpression", Service: { } s, Method: null } => (PathMatchKind.RegularExpression, $"/{s}/.+"),
            { Type: "RegularExpression", Service: { } s, Method: { } m } => (PathMatchKind.RegularExpression, $"/{s}/{m}"),
            { Service: null, Method: { } m } => (PathMatchKind.RegularExpression, $"/[^/]+/{m}"),
            { Service: { } s, Method: null } => (PathMatchKind.Prefix, $"/{s}/"),
            { Service: { } s, Method: { } m } => (PathMatchKind.Exact, $"/{s}/{m}"),
            _ => (PathMatchKind.Any, ""),
        };
        return new RouteMatch
        {
            PathKind = kind,
            Path = path,
            Headers = match.Headers.Select(h => new NamedValueMatch(h.Name ?? "", h.Type == "RegularExpression", h.Value ?? "")).ToList(),
        };
    }

    /// <summary>Istio's <c>createHeadersFilter</c>: names lower-cased, a later entry for the same name ignored.</summary>
    private static HeaderChanges? Headers(HttpHeaderFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }

        static IReadOnlyList<KeyValuePair<string, string>> FirstOfEach(IEnumerable<HttpHeader> headers) => headers
            .Select(h => KeyValuePair.Create((h.Name ?? "").ToLowerInvariant(), h.Value ?? ""))
            .DistinctBy(h => h.Key, StringComparer.Ordinal)
            .ToList();

        return new HeaderChanges { Set = FirstOfEach(filter.Set), Add = FirstOfEach(filter.Add), Remove = filter.Remove };
    }

    /// <summary>
    /// Istio's <c>createRedirectFilter</c>: the code as written (302 by default); no port written means the scheme's
    /// default port when a scheme is written, else the request's port.
    /// </summary>
    private static RouteRedirect Redirect(HttpRequestRedirectFilter filter, RouteMatch match) => new()
    {
        Scheme = filter.Scheme,
        Hostname = filter.Hostname,
        Port = filter.Port,
        PortKind = filter.Port is not null ? RedirectPortKind.Explicit
            : filter.Scheme is not null ? RedirectPortKind.SchemeDefault
            : RedirectPortKind.RequestPort,
        Path = PathChange(filter.Path, match),
        StatusCode = filter.StatusCode ?? 302,
    };

    private static PathChange? PathChange(HttpPathModifier? modifier, RouteMatch match) => modifier switch
    {
        { Type: "ReplaceFullPath" } => new PathChange(PathChangeKind.ReplaceFullPath, modifier.ReplaceFullPath ?? "", ""),
        { Type: "ReplacePrefixMatch" } => new PathChange(PathChangeKind.ReplacePrefixMatch, modifier.ReplacePrefixMatch ?? "",
            match.PathKind == PathMatchKind.Prefix ? match.Path : "/"),
        _ => null,
    };

    /// <summary>Istio: a fraction as its percentage, a percent as written, neither as 100.</summary>
    private static double MirrorPercent(HttpRequestMirrorFilter filter) => filter.Fraction is { } fraction
        ? 100.0 * (fraction.Numerator ?? 0) / (fraction.Denominator ?? 100)
        : filter.Percent ?? 100;

    /// <summary>
    /// Istio's <c>buildDestination</c>: the ReferenceGrant first, then the kind (a core Service), then the Service itself
    /// and the port. The first three leave a backend that does not resolve; a dotted name or a missing port is hard.
    /// </summary>
    private (ResolvedBackend Backend, StatusCondition? Hard) Backend(RouteResource route, BackendObjectReference reference,
        int weight, string path)
    {
        var routeNamespace = route.Metadata.Namespace;
        var ns = reference.Namespace ?? routeNamespace;
        var backend = new ResolvedBackend
        {
            Group = reference.Group ?? "",
            Kind = reference.Kind ?? "Service",
            Name = reference.Name ?? "",
            Namespace = ns,
            Port = reference.Port,
            Weight = weight,
            FieldPath = path,
        };

        StatusCondition Problem(string reason, string message) =>
            new(ConditionTypes.ResolvedRefs, false, reason, message) { FieldPath = path };

        if (reference.Namespace is { } other && other != routeNamespace &&
            !grants.Allows(route.Kind, routeNamespace, "Service", other, backend.Name))
        {
            return (backend with
            {
                Problem = Problem(ConditionReasons.RefNotPermitted,
                    $"backendRef {backend.Name}/{other} not accessible to a {route.Kind} in namespace \"{routeNamespace}\" (missing a ReferenceGrant?)"),
            }, null);
        }

        if (backend.Group != "" || backend.Kind != "Service")
        {
            return (backend with
            {
                Problem = Problem(ConditionReasons.InvalidKind,
                    $"referencing unsupported backendRef: group \"{backend.Group}\" kind \"{backend.Kind}\""),
            }, null);
        }

        if (backend.Name.Contains('.', StringComparison.Ordinal))
        {
            return (backend, Problem(ConditionReasons.InvalidDestination,
                "service name invalid; the name of the Service must be used, not the hostname."));
        }

        var host = $"{backend.Name}.{ns}.svc.cluster.local";
        if (reference.Port is null)
        {
            return (backend, Problem(ConditionReasons.InvalidDestination, "port is required in backendRef"));
        }

        return config.Find<Service>(ns, backend.Name) is null
            ? (backend with { Problem = Problem(ConditionReasons.BackendNotFound, $"backend({host}) not found") }, null)
            : (backend with { Host = host }, null);
    }

    /// <summary>Istio: <c>backendRequest</c> (when not 0) replaces <c>request</c> as the route timeout; 0 means none.</summary>
    private static TimeSpan? Timeout(HttpRouteTimeouts? timeouts)
    {
        TimeSpan? result = null;
        if (timeouts?.Request is { } request && Istio.Durations.TryParse(request, out TimeSpan r) && r > TimeSpan.Zero)
        {
            result = r;
        }

        if (timeouts?.BackendRequest is { } backendRequest && Istio.Durations.TryParse(backendRequest, out TimeSpan b) && b > TimeSpan.Zero)
        {
            result = b;
        }

        return result;
    }
}

/// <summary>A route translated: its rules, every reference problem, and the error that dropped all rules, if any.</summary>
internal sealed record Translation(IReadOnlyList<ResolvedRule> Rules, IReadOnlyList<StatusCondition> Problems, StatusCondition? Hard);

/// <summary>One rule of either route kind, as the translation reads it.</summary>
internal sealed record RuleView(
    string? Name,
    IReadOnlyList<RouteMatch> Matches,
    IReadOnlyList<FilterView> Filters,
    IReadOnlyList<BackendRef> Backends,
    IReadOnlyList<IReadOnlyList<FilterView>> BackendFilters,
    TimeSpan? Timeout);

/// <summary>One filter of either route kind (the gRPC kind has no redirect, rewrite or CORS).</summary>
internal sealed record FilterView(
    string? Type,
    HttpHeaderFilter? Request,
    HttpHeaderFilter? Response,
    HttpRequestMirrorFilter? Mirror,
    HttpRequestRedirectFilter? Redirect = null,
    HttpUrlRewriteFilter? Rewrite = null,
    HttpCorsFilter? Cors = null);

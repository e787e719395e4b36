using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Ingress.LocalGateway.Snapshot.Upstreams;
using HostNames = Ingress.Config.Istio.HostNames;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Translates a VirtualService's http rules into ordered routes for one gateway and port, as Istio's
/// <c>BuildHTTPRoutesForVirtualService</c>: one route per match, per-match gateways and port filters, and nothing after
/// a catch-all.
/// </summary>
public sealed class RouteTranslator
{
    private readonly ClusterResolver _clusters;
    private readonly CompileDiagnostics _diagnostics;
    private readonly IReadOnlyDictionary<string, string> _gatewayLabels;
    private readonly string _gatewayNamespace;
    private readonly PolicyCompiler _policies;

    public RouteTranslator(ClusterResolver clusters, CompileDiagnostics diagnostics,
        IReadOnlyDictionary<string, string> gatewayLabels, string gatewayNamespace)
    {
        _clusters = clusters;
        _diagnostics = diagnostics;
        _gatewayLabels = gatewayLabels;
        _gatewayNamespace = gatewayNamespace;
        _policies = new PolicyCompiler(clusters, diagnostics);
    }

    /// <summary>
    /// The routes of a VirtualService for the gateway <paramref name="gatewayKey"/> (ns/name) on a port, for a server
    /// with or without <c>tls</c> (Istio's <c>RouteOptions.IsTLS</c>, which only redirects read); the rules after a
    /// catch-all produce none and are added to <paramref name="unreachable"/> when it is given.
    /// </summary>
    public IReadOnlyList<RouteEntry> Translate(VirtualService vs, string gatewayKey, int gatewayPort, bool serverHasTls,
        List<UnreachableRule>? unreachable = null)
    {
        var vsName = $"{vs.Metadata.Namespace}/{vs.Metadata.Name}";
        var routes = new List<RouteEntry>();
        var vsGateways = vs.Spec.Gateways.Select(g => GatewayReferences.Key(g, vs.Metadata.Namespace)).ToList();
        for (var i = 0; i < vs.Spec.Http.Count; i++)
        {
            var rule = vs.Spec.Http[i];
            var rulePath = $"spec.http[{i}]";
            if (rule.Delegate is not null)
            {
                _diagnostics.Unsupported(vs, rulePath + ".delegate", "delegate");
                continue;
            }

            // Compiled once per rule (on first use), so a rule with several matches reports its findings once.
            RoutePolicies? compiled = null;
            RoutePolicies Policies() => compiled ??= _policies.Compile(vs, rule, rulePath);
            var catchAll = false;
            if (rule.Match.Count == 0)
            {
                if (!vsGateways.Contains(gatewayKey))
                {
                    continue;
                }

                var route = TranslateOne(vs, rule, rulePath, null, -1, gatewayPort, serverHasTls, Policies);
                if (route is not null)
                {
                    routes.Add(route);
                }

                catchAll = true;
            }
            else
            {
                for (var j = 0; j < rule.Match.Count; j++)
                {
                    var match = rule.Match[j];
                    var gateways = match.Gateways.Count > 0
                        ? match.Gateways.Select(g => GatewayReferences.Key(g, vs.Metadata.Namespace)).ToList()
                        : vsGateways;
                    if (!gateways.Contains(gatewayKey) || (match.Port is { } port && port != gatewayPort))
                    {
                        continue;
                    }

                    if (match.SourceLabels.Any(l => !_gatewayLabels.TryGetValue(l.Key, out var v) || v != l.Value))
                    {
                        continue;
                    }

                    if (match.SourceNamespace is { Length: > 0 } sourceNs && sourceNs != _gatewayNamespace)
                    {
                        continue;
                    }

                    var route = TranslateOne(vs, rule, rulePath, match, j, gatewayPort, serverHasTls, Policies);
                    if (route is null)
                    {
                        continue;
                    }

                    routes.Add(route);
                    if (route.Match.IsCatchAll)
                    {
                        catchAll = true;
                        for (var later = j + 1; later < rule.Match.Count; later++)
                        {
                            unreachable?.Add(new UnreachableRule($"{vsName} {rulePath}.match[{later}]", route.Source));
                        }

                        break;
                    }
                }
            }

            if (catchAll)
            {
                // Istio's BuildHTTPRoutesForVirtualService stops here: no route is built for the later rules.
                for (var later = i + 1; later < vs.Spec.Http.Count; later++)
                {
                    unreachable?.Add(new UnreachableRule($"{vsName} spec.http[{later}]", routes.Count > 0 ? routes[^1].Source : $"{vsName} {rulePath}"));
                }

                break;
            }
        }

        return routes;
    }

    private RouteEntry? TranslateOne(VirtualService vs, HttpRoute rule, string rulePath, HttpMatchRequest? match, int matchIndex, int gatewayPort,
        bool serverHasTls, Func<RoutePolicies> policies)
    {
        var matchPath = matchIndex >= 0 ? $"{rulePath}.match[{matchIndex}]" : rulePath;
        var matcher = match is null ? CatchAllMatcher : CompileMatch(vs, match, matchPath);
        if (matcher is null)
        {
            return null;
        }

        var name = rule.Name ?? "";
        if (match?.Name is { Length: > 0 } matchName)
        {
            name = name + "." + matchName;
        }

        var rewrite = CompileRewrite(vs, rule.Rewrite, matcher, rulePath);
        var decoratorPath = matcher.Path.Kind switch
        {
            StringMatchKind.Prefix => matcher.Path.Value + "*",
            _ => matcher.Path.Value,
        };
        var source = $"{vs.Metadata.Namespace}/{vs.Metadata.Name} {matchPath}";
        RouteAction? action;
        string operation;
        if (rule.Redirect is not null)
        {
            action = CompileRedirect(vs, rule.Redirect, matcher, rulePath, gatewayPort, serverHasTls);
            operation = $"{vs.Metadata.Name}:{gatewayPort}{decoratorPath}";
        }
        else if (rule.DirectResponse is not null)
        {
            action = CompileDirectResponse(vs, rule.DirectResponse, rulePath);
            operation = $"{vs.Metadata.Name}:{gatewayPort}{decoratorPath}";
        }
        else if (rule.Route.Count > 0)
        {
            var forward = CompileForward(vs, rule.Route, rulePath);
            action = forward;
            operation = forward.Destinations.Count == 1
                ? $"{forward.Destinations[0].Host}:{forward.Destinations[0].Port}{decoratorPath}"
                : $"{vs.Metadata.Name}:{gatewayPort}{decoratorPath}";
        }
        else
        {
            _diagnostics.Add(GatewayCodes.RuleWithoutAction, Severity.Warning, vs, rulePath,
                "the rule has no route, redirect or directResponse; Istio emits no action for it, so it is left out");
            return null;
        }

        if (action is null)
        {
            return null;
        }

        return new RouteEntry
        {
            Name = name,
            Match = matcher,
            Action = action,
            Operation = operation,
            Source = source,
            RequestHeaders = RouteParts.Mutation(rule.Headers?.Request),
            ResponseHeaders = RouteParts.Mutation(rule.Headers?.Response),
            Rewrite = rewrite,
            Authority = !string.IsNullOrEmpty(rule.Rewrite?.Authority) ? rule.Rewrite!.Authority : RouteParts.Authority(rule.Headers?.Request),
            Policies = policies(),
        };
    }

    private static readonly RequestMatcher CatchAllMatcher = new() { Path = StringMatcher.Prefix("/") };

    private RequestMatcher? CompileMatch(VirtualService vs, HttpMatchRequest match, string path)
    {
        var ignoreCase = match.IgnoreUriCase == true;
        StringMatcher uri;
        if (match.Uri is null || (match.Uri.Exact is null && match.Uri.Prefix is null && match.Uri.Regex is null))
        {
            uri = StringMatcher.Prefix("/", ignoreCase);
        }
        else if (!TryCompile(vs, match.Uri, ignoreCase, path + ".uri", out uri!))
        {
            return null;
        }

        var headers = new List<HeaderCondition>();
        foreach (var (name, value) in match.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith("@request.auth.claims", StringComparison.Ordinal))
            {
                // Claim-based routing (Istio, gateways only): matched against the JWT verified by the security stage.
                var claimPath = JwtClaims.ParsePath(name["@request.auth.claims".Length..]);
                if (claimPath is null || !TryCompile(vs, value, false, $"{path}.headers.{name}", out var claimMatcher))
                {
                    _diagnostics.Unsupported(vs, $"{path}.headers.{name}", "this @request.auth.claims key (write @request.auth.claims.name or @request.auth.claims[a][b])");
                    return null;
                }

                headers.Add(new HeaderCondition { Name = name, Matcher = claimMatcher!, ClaimPath = claimPath });
                continue;
            }

            if (name is "uri" or "scheme" or "method" or "authority")
            {
                continue;
            }

            if (!TryCompile(vs, value, false, $"{path}.headers.{name}", out var m))
            {
                return null;
            }

            headers.Add(new HeaderCondition { Name = name, Matcher = m! });
        }

        foreach (var (name, value) in match.WithoutHeaders.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (!TryCompile(vs, value, false, $"{path}.withoutHeaders.{name}", out var m))
            {
                return null;
            }

            headers.Add(new HeaderCondition { Name = name, Matcher = m!, Invert = true });
        }

        var query = new List<QueryCondition>();
        foreach (var (name, value) in match.QueryParams.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (!TryCompile(vs, value, false, $"{path}.queryParams.{name}", out var m))
            {
                return null;
            }

            query.Add(new QueryCondition { Name = name, Matcher = m! });
        }

        StringMatcher? method = null, authority = null, scheme = null;
        if (match.Method is not null && !TryCompile(vs, match.Method, false, path + ".method", out method))
        {
            return null;
        }

        if (match.Authority is not null && !TryCompile(vs, match.Authority, false, path + ".authority", out authority))
        {
            return null;
        }

        if (match.Scheme is not null && !TryCompile(vs, match.Scheme, false, path + ".scheme", out scheme))
        {
            return null;
        }

        return new RequestMatcher
        {
            Path = uri,
            Headers = headers,
            QueryParams = query,
            Method = method,
            Authority = authority,
            Scheme = scheme,
        };
    }

    private bool TryCompile(VirtualService vs, StringMatch match, bool ignoreCase, string path, out StringMatcher? matcher)
    {
        if (match.Regex is { } regex && regex != "*" && !Re2.TryCompile(regex, anchored: true, out _, out var error))
        {
            _diagnostics.Add(GatewayCodes.InvalidRegex, Severity.Error, vs, path + ".regex",
                $"regex \"{regex}\" is not a valid RE2 pattern: {error}");
            matcher = null;
            return false;
        }

        matcher = RouteParts.Matcher(match, ignoreCase);
        return true;
    }

    private PathRewrite? CompileRewrite(VirtualService vs, HttpRewrite? rewrite, RequestMatcher matcher, string rulePath)
    {
        if (rewrite is null)
        {
            return null;
        }

        if (rewrite.UriRegexRewrite is { Match: { } pattern } regexRewrite)
        {
            if (!Re2.TryCompile(pattern, anchored: false, out var regex, out var error))
            {
                _diagnostics.Add(GatewayCodes.InvalidRegex, Severity.Error, vs, rulePath + ".rewrite.uriRegexRewrite.match",
                    $"regex \"{pattern}\" is not a valid RE2 pattern: {error}");
                return null;
            }

            return PathRewrite.RegexReplace(regex!, regexRewrite.Rewrite ?? "");
        }

        if (string.IsNullOrEmpty(rewrite.Uri))
        {
            return null;
        }

        return PrefixOrWhole(rewrite.Uri, matcher);
    }

    private static PathRewrite PrefixOrWhole(string replacement, RequestMatcher matcher) =>
        matcher.Path.Kind == StringMatchKind.Prefix
            ? PathRewrite.ReplacePrefix(replacement, matcher.Path.Value.Length)
            : PathRewrite.ReplaceWhole(replacement);

    /// <summary>Istio's <c>ApplyRedirect</c>: the port as <see cref="RouteParts.RedirectPort"/>, the rest as written.</summary>
    private RedirectAction? CompileRedirect(VirtualService vs, HttpRedirect redirect, RequestMatcher matcher, string rulePath,
        int gatewayPort, bool serverHasTls)
    {
        var code = redirect.RedirectCode is null or 0 ? 301 : redirect.RedirectCode.Value;
        if (code is not (301 or 302 or 303 or 307 or 308))
        {
            _diagnostics.Add(GatewayCodes.UnsupportedRedirectCode, Severity.Warning, vs, rulePath + ".redirect.redirectCode",
                $"Redirect Code {code} not yet supported by Istio: it emits the route without an action, so it is left out");
            return null;
        }

        // A port of 0 is proto3's unset; FROM_PROTOCOL_DEFAULT asks for no port, as no rule at all does.
        int? requested = redirect.Port is { } explicitPort and > 0 ? explicitPort
            : string.Equals(redirect.DerivePort, "FROM_REQUEST_PORT", StringComparison.OrdinalIgnoreCase) ? gatewayPort
            : null;
        var scheme = string.IsNullOrEmpty(redirect.Scheme) ? null : redirect.Scheme;
        return new RedirectAction
        {
            Scheme = scheme?.ToLowerInvariant(),
            Authority = string.IsNullOrEmpty(redirect.Authority) ? null : redirect.Authority,
            Port = RouteParts.RedirectPort(requested, scheme, serverHasTls),
            Path = string.IsNullOrEmpty(redirect.Uri) ? null : redirect.Uri,
            PrefixRewrite = string.IsNullOrEmpty(redirect.PrefixRewrite) ? null : PrefixOrWhole(redirect.PrefixRewrite, matcher),
            StatusCode = code,
        };
    }

    private DirectResponseAction? CompileDirectResponse(VirtualService vs, HttpDirectResponse response, string rulePath)
    {
        byte[] body = [];
        if (response.Body?.String is { } text)
        {
            body = System.Text.Encoding.UTF8.GetBytes(text);
        }
        else if (response.Body?.Bytes is { } base64)
        {
            try
            {
                body = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                _diagnostics.Add(GatewayCodes.InvalidDirectResponseBytes, Severity.Error, vs, rulePath + ".directResponse.body.bytes",
                    "directResponse.body.bytes is not valid base64");
                return null;
            }
        }

        return new DirectResponseAction { StatusCode = response.Status ?? 200, Body = body };
    }

    private ForwardAction CompileForward(VirtualService vs, IReadOnlyList<HttpRouteDestination> route, string rulePath)
    {
        var destinations = new List<WeightedDestination>();
        for (var k = 0; k < route.Count; k++)
        {
            var destination = route[k];
            var weight = route.Count == 1 ? 100 : destination.Weight ?? 0;
            if (weight == 0 && route.Count > 1)
            {
                continue;
            }

            var fieldPath = $"{rulePath}.route[{k}].destination";
            var host = HostNames.ResolveShortName(destination.Destination?.Host ?? "", vs.Metadata.Namespace);
            var subset = string.IsNullOrEmpty(destination.Destination?.Subset) ? null : destination.Destination!.Subset;
            var (cluster, port) = _clusters.Resolve(host, destination.Destination?.Port?.Number, subset, vs, fieldPath);
            destinations.Add(new WeightedDestination
            {
                ClusterName = Cluster.NameFor(host, port, subset),
                Host = host,
                Port = port,
                Subset = subset,
                Weight = weight,
                Cluster = cluster,
                RequestHeaders = RouteParts.Mutation(destination.Headers?.Request),
                ResponseHeaders = RouteParts.Mutation(destination.Headers?.Response),
                Authority = RouteParts.Authority(destination.Headers?.Request),
            });
        }

        if (destinations.Count == 0)
        {
            // Every weight was 0: Istio's validation refuses it; keep the first so the route still answers.
            var first = route[0];
            var host = HostNames.ResolveShortName(first.Destination?.Host ?? "", vs.Metadata.Namespace);
            var (cluster, port) = _clusters.Resolve(host, first.Destination?.Port?.Number, first.Destination?.Subset, vs, $"{rulePath}.route[0].destination");
            destinations.Add(new WeightedDestination
            {
                ClusterName = Cluster.NameFor(host, port, first.Destination?.Subset),
                Host = host,
                Port = port,
                Weight = 1,
                Cluster = cluster,
            });
        }

        return new ForwardAction { Destinations = destinations, TotalWeight = destinations.Sum(d => d.Weight) };
    }
}

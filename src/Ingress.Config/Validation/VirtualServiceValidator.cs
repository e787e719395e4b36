using System.Globalization;
using Ingress.Config.Istio;
using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>
/// The checks Istio's ValidateVirtualService makes (<c>pkg/config/validation/validation.go</c>: ValidateVirtualService,
/// validateTLSRoute, validateSniHost, validateTCPRoute, validateHTTPRedirect, validateHTTPRetry, ...;
/// <c>virtualservice.go</c>: validateHTTPRoute and its helpers), with Istio's notion of "not set" (<see cref="Proto3"/>).
/// </summary>
internal static class VirtualServiceValidator
{
    private static readonly int[] RedirectCodes = [301, 302, 303, 307, 308];

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*",
    };

    /// <summary>The status codes Go's http.StatusText knows: a retryOn entry that is a number must be one of them.</summary>
    private static readonly HashSet<int> KnownStatusCodes =
    [
        100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423,
        424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    ];

    private static readonly HashSet<string> RetryOn = new(StringComparer.Ordinal)
    {
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    };

    private static readonly HashSet<string> GrpcStatuses = new(StringComparer.Ordinal)
    {
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    };

    public static void Validate(VirtualService vs, Findings f)
    {
        var spec = vs.Spec;
        var isDelegate = spec.Hosts.Count == 0;
        if (isDelegate)
        {
            if (spec.Gateways.Count > 0)
            {
                f.Error(VirtualServiceHosts, "spec.hosts",
                    "delegate virtual service must have no gateways specified (a VirtualService without hosts is a " +
                    "delegate; list the host names it serves to bind it to a gateway)");
            }

            if (spec.Tls.Count > 0)
            {
                f.Error(VirtualServiceRules, "spec.tls", "delegate virtual service must have no tls route specified");
            }

            if (spec.Tcp.Count > 0)
            {
                f.Error(VirtualServiceRules, "spec.tcp", "delegate virtual service must have no tcp route specified");
            }
        }

        // Istio: no gateways means the mesh; listing "mesh" (alone or with gateways) keeps it on the mesh.
        var appliesToGateway = spec.Gateways.Count > 0 && !spec.Gateways.Contains(GatewayReferences.Mesh);
        var appliesToMesh = !appliesToGateway;
        GatewayNames(spec.Gateways, "spec.gateways", f);
        if (!appliesToGateway)
        {
            JwtClaimRoutesOnMesh(spec, f);
        }

        ValidateHosts(spec, appliesToGateway, appliesToMesh, f);

        if (spec.Http.Count == 0 && spec.Tcp.Count == 0 && spec.Tls.Count == 0)
        {
            f.Error(VirtualServiceRules, "spec", "http, tcp or tls must be provided in virtual service");
        }

        for (var i = 0; i < spec.Http.Count; i++)
        {
            HttpRouteRules(spec.Http[i], $"spec.http[{i}]", isDelegate, f);
        }

        for (var i = 0; i < spec.Tls.Count; i++)
        {
            TlsRoute(spec, spec.Tls[i], $"spec.tls[{i}]", f);
        }

        for (var i = 0; i < spec.Tcp.Count; i++)
        {
            var route = spec.Tcp[i];
            var path = $"spec.tcp[{i}]";
            for (var m = 0; m < route.Match.Count; m++)
            {
                var match = route.Match[m];
                L4Match(match.DestinationSubnets, match.Port, match.SourceLabels, match.Gateways, $"{path}.match[{m}]", f);
            }

            if (route.Route.Count == 0)
            {
                f.Error(RouteAction, $"{path}.route", "TCP route is required");
            }

            L4Destinations(route.Route, $"{path}.route", f);
        }

        foreach (var error in Istio.ExportTo.Errors(vs.Metadata.Namespace, spec.ExportTo))
        {
            f.Error(ValidationCodes.ExportTo, "spec.exportTo", error);
        }
    }

    /// <summary>
    /// Istio's JWT check for a VirtualService on the mesh: claims are only verified at a gateway, so routing on
    /// <c>@request.auth.claims…</c> (in headers or withoutHeaders) is refused when the rules apply to sidecars.
    /// </summary>
    private static void JwtClaimRoutesOnMesh(VirtualServiceSpec spec, Findings f)
    {
        var gateways = "[" + string.Join(' ', spec.Gateways) + "]";
        for (var i = 0; i < spec.Http.Count; i++)
        {
            for (var m = 0; m < spec.Http[i].Match.Count; m++)
            {
                var match = spec.Http[i].Match[m];
                foreach (var (field, keys) in new[] { ("headers", match.Headers.Keys), ("withoutHeaders", match.WithoutHeaders.Keys) })
                {
                    foreach (var key in keys.Where(JwtClaimRoutes.IsClaimRoute))
                    {
                        f.Error(ValidationCodes.MatchRequest, $"spec.http[{i}].match[{m}].{field}.{key}",
                            $"JWT claim based routing (key: {key}) is only supported for gateway, found no gateways: {gateways} " +
                            "(list the gateway in spec.gateways; sidecars do not verify JWTs for routing)");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Istio's validateTLSRoute and validateTLSMatch: at least one match, each with SNI hosts that are valid and inside
    /// the VirtualService's hosts, valid subnets, port and labels; a route to send it to.
    /// </summary>
    private static void TlsRoute(VirtualServiceSpec spec, TlsRoute route, string path, Findings f)
    {
        if (route.Match.Count == 0)
        {
            f.Error(VirtualServiceRules, $"{path}.match", "TLS route must have at least one match condition");
        }

        for (var m = 0; m < route.Match.Count; m++)
        {
            var match = route.Match[m];
            var at = $"{path}.match[{m}]";
            if (match.SniHosts.Count == 0)
            {
                f.Error(VirtualServiceRules, $"{at}.sniHosts", "TLS match must have at least one SNI host");
            }

            for (var h = 0; h < match.SniHosts.Count; h++)
            {
                SniHost(spec, match.SniHosts[h], $"{at}.sniHosts[{h}]", f);
            }

            L4Match(match.DestinationSubnets, match.Port, match.SourceLabels, match.Gateways, at, f);
        }

        if (route.Route.Count == 0)
        {
            f.Error(RouteAction, $"{path}.route", "TLS route is required");
        }

        L4Destinations(route.Route, $"{path}.route", f);
    }

    /// <summary>
    /// Istio's validateSniHost. Istio reads a VirtualService without "mesh" in its gateways (no gateways at all
    /// included) as gateway-bound here, so the generated <c>outbound_.PORT_._.HOST</c> form passes; an IP address is
    /// accepted with a warning; any other name must lie inside one of the VirtualService's hosts.
    /// </summary>
    private static void SniHost(VirtualServiceSpec spec, string sni, string path, Findings f)
    {
        var boundToGateway = !spec.Gateways.Contains(GatewayReferences.Mesh);
        var error = boundToGateway ? Names.GatewayBoundHostError(sni, sni: true) : Names.WildcardDomainError(sni);
        if (error is not null)
        {
            if (Names.IsIpAddress(sni))
            {
                f.Warning(VirtualServiceRules, path, $"using an IP address (\"{sni}\") goes against SNI spec and most clients do not support this");
            }
            else
            {
                f.Error(VirtualServiceHosts, path, error);
            }

            return;
        }

        if (!spec.Hosts.Any(host => HostNames.SubsetOf(sni, host)))
        {
            f.Error(VirtualServiceHosts, path,
                $"SNI host \"{sni}\" is not a compatible subset of any of the virtual service hosts: [{string.Join(", ", spec.Hosts)}]");
        }
    }

    /// <summary>Istio's validateTLSMatch / validateTCPMatch tail: subnets, port, source labels and gateway names.</summary>
    private static void L4Match(IReadOnlyList<string> subnets, int? port, IReadOnlyDictionary<string, string> sourceLabels,
        IReadOnlyList<string> gateways, string path, Findings f)
    {
        for (var i = 0; i < subnets.Count; i++)
        {
            var subnet = subnets[i];
            var valid = subnet.Count(c => c == '/') == 1 ? IpAddresses.IsPrefix(subnet) : IpAddresses.IsAddress(subnet);
            if (!valid)
            {
                f.Error(ValidationCodes.MatchRequest, $"{path}.destinationSubnets[{i}]",
                    subnet.Count(c => c == '/') == 1 ? $"{subnet} is not a valid CIDR block" : $"{subnet} is not a valid IP");
            }
        }

        if (Proto3.IsSet(port) && port is < 1 or > 65535)
        {
            f.Error(ValidationCodes.MatchRequest, $"{path}.port", $"port number {port} must be in the range 1..65535");
        }

        SourceLabels(sourceLabels, $"{path}.sourceLabels", f);
        GatewayNames(gateways, $"{path}.gateways", f);
    }

    /// <summary>Istio's labels.Instance.Validate for sourceLabels: keys are qualified label names, values label values.</summary>
    private static void SourceLabels(IReadOnlyDictionary<string, string> labels, string path, Findings f)
    {
        foreach (var (key, value) in labels)
        {
            if (Names.LabelKeyError(key) is { } keyError)
            {
                f.Error(ValidationCodes.MatchRequest, $"{path}.{key}", keyError);
            }

            if (!Names.IsLabelValue(value))
            {
                f.Error(ValidationCodes.MatchRequest, $"{path}.{key}", $"invalid tag value: \"{value}\"");
            }
        }
    }

    private static void ValidateHosts(VirtualServiceSpec spec, bool appliesToGateway, bool appliesToMesh, Findings f)
    {
        var hosts = spec.Hosts;
        var sni = spec.Tls.Any(t => t.Match.Any(m => m.SniHosts.Count > 0));
        var allValid = true;
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            var error = appliesToGateway ? Names.GatewayBoundHostError(host, sni) : Names.WildcardDomainError(host);
            if (error is not null)
            {
                if (!Names.IsIpAddress(host))
                {
                    f.Error(VirtualServiceHosts, $"spec.hosts[{i}]", error);
                    allValid = false;
                }
            }
            else if (appliesToMesh && host == "*")
            {
                f.Error(VirtualServiceHosts, $"spec.hosts[{i}]",
                    "wildcard host * is not allowed for virtual services bound to the mesh gateway");
                allValid = false;
            }
        }

        if (!allValid)
        {
            return;
        }

        for (var i = 0; i < hosts.Count; i++)
        {
            for (var j = i + 1; j < hosts.Count; j++)
            {
                if (HostNames.Matches(hosts[i], hosts[j]))
                {
                    f.Error(VirtualServiceHosts, $"spec.hosts[{j}]", $"duplicate hosts in virtual service: {hosts[i]} & {hosts[j]}");
                }
            }
        }
    }

    /// <summary>
    /// Istio's validateGatewayNames: <c>ns/name</c> needs both parts as DNS labels; a name without a slash must be a
    /// domain name (a dotted one is the legacy <c>name.namespace</c> form, with a warning). Istio stops checking the list
    /// at the first name without a slash, so the names after it are not checked; this does the same.
    /// </summary>
    internal static void GatewayNames(IReadOnlyList<string> names, string path, Findings f)
    {
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            var at = $"{path}[{i}]";
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                if (name.Contains('.', StringComparison.Ordinal))
                {
                    var parts = name.Split('.');
                    f.Warning(GatewayReference, at,
                        $"using legacy gatewayName format \"{name}\"; prefer the <namespace>/<name> format: \"{parts[1]}/{parts[0]}\"");
                }

                if (Names.FqdnError(name) is { } error)
                {
                    f.Error(GatewayReference, at, error);
                }

                return;
            }

            var ns = name[..slash];
            var gateway = name[(slash + 1)..];
            if (ns.Length == 0 || gateway.Length == 0)
            {
                f.Error(GatewayReference, at, "config namespace and gateway name cannot be empty");
            }

            if (!Names.IsDns1123Label(ns))
            {
                f.Error(GatewayReference, at, $"invalid value for namespace: \"{ns}\"");
            }

            if (!Names.IsDns1123Label(gateway))
            {
                f.Error(GatewayReference, at, $"invalid value for gateway name: \"{gateway}\"");
            }
        }
    }

    private static void HttpRouteRules(HttpRoute http, string path, bool inDelegate, Findings f)
    {
        RouteConflicts(http, path, inDelegate, f);
        for (var m = 0; m < http.Match.Count; m++)
        {
            MatchRequest(http.Match[m], $"{path}.match[{m}]", f);
        }

        HeaderOperations(http.Headers, $"{path}.headers", f);
        Cors(http.CorsPolicy, $"{path}.corsPolicy", f);
        Fault(http.Fault, $"{path}.fault", f);
        MirrorPercentages(http, path, f);
        if (http.Mirror is { } mirror)
        {
            Destination(mirror, $"{path}.mirror", f);
        }

        for (var i = 0; i < http.Mirrors.Count; i++)
        {
            var policy = http.Mirrors[i];
            if (policy.Destination is null)
            {
                f.Error(Mirror, $"{path}.mirrors[{i}]", "destination is required for mirrors");
                continue;
            }

            Destination(policy.Destination, $"{path}.mirrors[{i}].destination", f);
            if (policy.Percentage?.Value is { } value and (< 0 or > 100))
            {
                f.Error(Percentage, $"{path}.mirrors[{i}].percentage.value",
                    $"mirror percentage must have a {(value > 100 ? "max value of 100" : "min value of 0")} (it has {GoFloat(value)})");
            }
        }

        Redirect(http, $"{path}.redirect", f);
        DirectResponse(http.DirectResponse, $"{path}.directResponse", f);
        Retries(http.Retries, $"{path}.retries", f);
        Rewrite(http.Rewrite, $"{path}.rewrite", f);
        AuthorityOnce(http, path, f);
        HttpDestinations(http.Route, $"{path}.route", f);
        if (http.Timeout is { } timeout && Istio.Durations.ValidationError(timeout) is { } error)
        {
            f.Error(ValidationCodes.Duration, $"{path}.timeout", error);
        }
    }

    private static void RouteConflicts(HttpRoute http, string path, bool inDelegate, Findings f)
    {
        var name = http.Name ?? "";
        if (http.Delegate is not null && !inDelegate)
        {
            if (http.Redirect is not null)
            {
                f.Error(RouteAction, $"{path}.redirect", $"root HTTP route {name} must not specify redirect");
            }

            if (http.Route.Count > 0)
            {
                f.Error(RouteAction, $"{path}.route", $"root HTTP route {name} must not specify route");
            }

            return;
        }

        if (inDelegate && http.Delegate is not null)
        {
            f.Error(RouteAction, $"{path}.delegate", "delegate HTTP route cannot contain delegate");
        }

        if (http.Redirect is not null)
        {
            Conflict(http.Route.Count > 0, "route", "HTTP route cannot contain both route and redirect");
            Conflict(http.Fault is not null, "fault", "HTTP route cannot contain both fault and redirect");
            Conflict(http.Rewrite is not null, "rewrite", "HTTP route rule cannot contain both rewrite and redirect");
            Conflict(http.DirectResponse is not null, "directResponse", "HTTP route rule cannot contain both direct_response and redirect");
        }
        else if (http.DirectResponse is not null)
        {
            Conflict(http.Route.Count > 0, "route", "HTTP route cannot contain both route and direct_response");
            Conflict(http.Fault is not null, "fault", "HTTP route cannot contain both fault and direct_response");
            Conflict(http.Rewrite is not null, "rewrite", "HTTP route rule cannot contain both rewrite and direct_response");
        }
        else if (http.Route.Count == 0)
        {
            f.Error(RouteAction, path, "HTTP route, redirect or direct_response is required (or delegate, in a root VirtualService)");
        }

        if (http.Mirror is not null && http.Mirrors.Count > 0)
        {
            f.Error(Mirror, $"{path}.mirrors", "HTTP route cannot contain both mirror and mirrors");
        }

        void Conflict(bool present, string field, string message)
        {
            if (present)
            {
                f.Error(RouteAction, $"{path}.{field}", message);
            }
        }
    }

    private static void MatchRequest(HttpMatchRequest match, string path, Findings f)
    {
        foreach (var (name, header) in match.Headers)
        {
            HeaderMatchName(name, $"{path}.headers.{name}", f);
            StringMatch(header, $"{path}.headers.{name}", "headers", f);
        }

        foreach (var (name, header) in match.WithoutHeaders)
        {
            HeaderMatchName(name, $"{path}.withoutHeaders.{name}", f);
            // `regex: "*"` is not RE2 here: Istio turns it into a presence match.
            if (header.Regex != "*")
            {
                StringMatch(header, $"{path}.withoutHeaders.{name}", "withoutHeaders", f);
            }
        }

        if (match.Uri is { } uri)
        {
            StringMatch(uri, $"{path}.uri", "uri", f, allowEmptyPrefix: true);
        }

        StringMatch(match.Scheme, $"{path}.scheme", "scheme", f);
        StringMatch(match.Method, $"{path}.method", "method", f);
        StringMatch(match.Authority, $"{path}.authority", "authority", f);
        foreach (var (name, parameter) in match.QueryParams)
        {
            StringMatch(parameter, $"{path}.queryParams.{name}", "queryParams", f);
        }

        if (match.Port is { } port and not 0 and (< 1 or > 65535))
        {
            f.Error(ValidationCodes.MatchRequest, $"{path}.port", $"port number {port} must be in the range 1..65535");
        }

        SourceLabels(match.SourceLabels, $"{path}.sourceLabels", f);
        GatewayNames(match.Gateways, $"{path}.gateways", f);
        if (match.SourceNamespace is { Length: > 0 } sourceNamespace && !Names.IsDns1123Label(sourceNamespace))
        {
            f.Error(ValidationCodes.MatchRequest, $"{path}.sourceNamespace", $"sourceNamespace match {sourceNamespace} is invalid");
        }
    }

    /// <summary>
    /// Istio's ValidateHTTPHeaderNameOrJwtClaimRoute: a JWT claim route, an HTTP/2 pseudo-header or an HTTP token;
    /// then this project's two warnings (keys Istio ignores, keys that are not lower case).
    /// </summary>
    private static void HeaderMatchName(string name, string path, Findings f)
    {
        if (JwtClaimRoutes.IsClaimRoute(name) || name is ":method" or ":scheme" or ":authority" or ":path" or ":status")
        {
            return;
        }

        if (name.Length == 0)
        {
            f.Error(HeaderName, path, "header name cannot be empty");
        }
        else if (!Names.IsValidHeaderName(name))
        {
            f.Error(HeaderName, path, $"header name {name} is not a valid header name");
        }
        else if (name is "uri" or "scheme" or "method" or "authority")
        {
            f.Warning(HeaderName, path, $"the header key \"{name}\" is ignored by Istio; use the match's own {name} field");
        }
        else if (name.Any(char.IsAsciiLetterUpper))
        {
            f.Warning(HeaderNameCase, path,
                $"header name {name} should be lower-case (Istio's API requires lower-case header keys): write {name.ToLowerInvariant()}");
        }
    }

    internal static void StringMatch(StringMatch? match, string path, string where, Findings f, bool allowEmptyPrefix = false)
    {
        if (match is null)
        {
            return;
        }

        var set = (match.Exact is null ? 0 : 1) + (match.Prefix is null ? 0 : 1) + (match.Regex is null ? 0 : 1);
        if (set > 1)
        {
            f.Error(ValidationCodes.MatchRequest, path, $"\"{where}\": only one of exact, prefix or regex may be set in one string match");
        }

        if (match.Prefix is "" && !allowEmptyPrefix)
        {
            f.Error(ValidationCodes.MatchRequest, $"{path}.prefix", $"\"{where}\": prefix string match should not be empty");
        }

        if (match.Regex is { } regex)
        {
            if (regex.Length == 0)
            {
                f.Error(RegexSyntax, $"{path}.regex", $"\"{where}\": regex string match should not be empty");
            }
            else if (Re2Syntax.Error(regex) is { } error)
            {
                f.Error(RegexSyntax, $"{path}.regex", Re2Message(where, error));
            }
        }
    }

    private static string Re2Message(string where, string error) =>
        $"\"{where}\": {error}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)";

    private static void HeaderOperations(Headers? headers, string path, Findings f)
    {
        if (headers is null)
        {
            return;
        }

        if (headers.Request is { } request)
        {
            foreach (var (name, value) in request.Add)
            {
                RequestHeaderName(name, $"{path}.request.add.{name}", f);
                HeaderValue(value, $"{path}.request.add.{name}", f);
            }

            foreach (var (name, value) in request.Set)
            {
                RequestHeaderName(name, $"{path}.request.set.{name}", f);
                HeaderValue(value, $"{path}.request.set.{name}", f);
            }

            for (var i = 0; i < request.Remove.Count; i++)
            {
                OperationHeaderName(request.Remove[i], $"{path}.request.remove[{i}]", f);
            }
        }

        if (headers.Response is { } response)
        {
            foreach (var (name, value) in response.Add)
            {
                OperationHeaderName(name, $"{path}.response.add.{name}", f);
                HeaderValue(value, $"{path}.response.add.{name}", f);
            }

            foreach (var (name, value) in response.Set)
            {
                OperationHeaderName(name, $"{path}.response.set.{name}", f);
                HeaderValue(value, $"{path}.response.set.{name}", f);
            }

            for (var i = 0; i < response.Remove.Count; i++)
            {
                OperationHeaderName(response.Remove[i], $"{path}.response.remove[{i}]", f);
            }
        }
    }

    private static bool IsAuthority(string name) =>
        name.Equals(":authority", StringComparison.OrdinalIgnoreCase) || name.Equals("host", StringComparison.OrdinalIgnoreCase);

    private static void RequestHeaderName(string name, string path, Findings f)
    {
        if (name.Length == 0)
        {
            f.Error(HeaderName, path, "header name cannot be empty");
        }
        else if ((name.StartsWith(':') || name.Equals("host", StringComparison.OrdinalIgnoreCase)) && !IsAuthority(name))
        {
            f.Error(HeaderName, path, $"invalid header \"{name}\": header cannot have \":\" prefix");
        }
    }

    private static void OperationHeaderName(string name, string path, Findings f)
    {
        if (name.Length == 0)
        {
            f.Error(HeaderName, path, "header name cannot be empty");
        }
        else if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
        {
            f.Error(HeaderName, path, $"invalid header \"{name}\": cannot set Host header");
        }
        else if (name.StartsWith(':'))
        {
            f.Error(HeaderName, path, $"invalid header \"{name}\": header cannot have \":\" prefix");
        }
    }

    private static void HeaderValue(string value, string path, Findings f)
    {
        if (HeaderValues.Error(value) is { } error)
        {
            f.Error(HeaderName, path, error);
        }
    }

    private static void Cors(CorsPolicy? policy, string path, Findings f)
    {
        if (policy is null)
        {
            return;
        }

        for (var i = 0; i < policy.AllowOrigins.Count; i++)
        {
            var origin = policy.AllowOrigins[i];
            var value = origin.Exact ?? origin.Prefix ?? origin.Regex ?? "";
            if (value.Length == 0)
            {
                f.Error(ValidationCodes.Cors, $"{path}.allowOrigins[{i}]", "'' is not a valid match type for CORS allow origins");
            }
            else
            {
                StringMatch(origin, $"{path}.allowOrigins[{i}]", "corsPolicy.allowOrigins", f);
            }
        }

        for (var i = 0; i < policy.AllowMethods.Count; i++)
        {
            if (!Methods.Contains(policy.AllowMethods[i]))
            {
                f.Error(ValidationCodes.Cors, $"{path}.allowMethods[{i}]", $"\"{policy.AllowMethods[i]}\" is not a supported HTTP method");
            }
        }

        CorsHeaders(policy.AllowHeaders, $"{path}.allowHeaders", f);
        CorsHeaders(policy.ExposeHeaders, $"{path}.exposeHeaders", f);
        if (policy.MaxAge is { } maxAge)
        {
            if (Istio.Durations.ValidationError(maxAge) is { } error)
            {
                f.Error(ValidationCodes.Duration, $"{path}.maxAge", error);
            }
            else if (Istio.Durations.TryParse(maxAge, out long age) && !Istio.Durations.IsWholeSeconds(age))
            {
                f.Error(ValidationCodes.Cors, $"{path}.maxAge", "max_age duration is accurate only to seconds precision");
            }
        }
    }

    private static void CorsHeaders(IReadOnlyList<string> names, string path, Findings f)
    {
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name.Length == 0)
            {
                f.Error(ValidationCodes.Cors, $"{path}[{i}]", "header name cannot be empty");
            }
            else if (name != "*" && !Names.IsValidHeaderName(name))
            {
                f.Error(ValidationCodes.Cors, $"{path}[{i}]", $"header name {name} is not a valid header name");
            }
        }
    }

    private static void Fault(HttpFaultInjection? fault, string path, Findings f)
    {
        if (fault is null)
        {
            return;
        }

        if (fault.Abort is null && fault.Delay is null)
        {
            f.Error(ValidationCodes.Fault, path, "HTTP fault injection must have an abort and/or a delay");
        }

        if (fault.Abort is { } abort)
        {
            PercentValue(abort.Percentage, $"{path}.abort.percentage.value", f);
            var types = (abort.HttpStatus is null ? 0 : 1) + (abort.GrpcStatus is null ? 0 : 1) + (abort.Http2Error is null ? 0 : 1);
            if (types > 1)
            {
                f.Error(ValidationCodes.Fault, $"{path}.abort", "only one of httpStatus, grpcStatus or http2Error may be set");
            }

            if (abort.HttpStatus is { } status)
            {
                Status(status, $"{path}.abort.httpStatus", f);
            }
            else if (abort.GrpcStatus is { } grpc)
            {
                if (!GrpcStatuses.Contains(grpc))
                {
                    f.Error(ValidationCodes.Fault, $"{path}.abort.grpcStatus",
                        $"gRPC status \"{grpc}\" is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md " +
                        "for a list of supported codes, for example 'NOT_FOUND'");
                }
            }
            else if (abort.Http2Error is not null)
            {
                f.Error(ValidationCodes.Fault, $"{path}.abort.http2Error", "HTTP/2 abort fault injection not supported yet");
            }
            else
            {
                f.Warning(ValidationCodes.Fault, $"{path}.abort", "abort configured, but error type not set");
            }
        }

        if (fault.Delay is { } delay)
        {
            PercentValue(delay.Percentage, $"{path}.delay.percentage.value", f);
            if (delay.FixedDelay is { } fixedDelay)
            {
                if (Istio.Durations.ValidationError(fixedDelay) is { } error)
                {
                    f.Error(ValidationCodes.Duration, $"{path}.delay.fixedDelay", error);
                }
            }
            else if (delay.ExponentialDelay is { } exponential)
            {
                if (Istio.Durations.ValidationError(exponential) is { } error)
                {
                    f.Error(ValidationCodes.Duration, $"{path}.delay.exponentialDelay", error);
                }

                f.Error(ValidationCodes.Fault, $"{path}.delay.exponentialDelay", "exponentialDelay not supported yet");
            }
            else
            {
                // Istio accepts a delay with no duration; it then delays nothing.
                f.Warning(ValidationCodes.Fault, $"{path}.delay", "delay has no fixedDelay, so no request is delayed (write fixedDelay, for example 5s)");
            }
        }
    }

    private static void PercentValue(Percent? percentage, string path, Findings f)
    {
        if (percentage?.Value is { } value && (value < 0 || value > 100 || (value > 0 && value < 0.0001)))
        {
            f.Error(Percentage, path, $"percentage {value:0.######} is neither 0.0, nor in range [0.0001, 100.0]");
        }
    }

    /// <summary>A float as Go's <c>%f</c> prints it in Istio's messages: six decimals.</summary>
    private static string GoFloat(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    private static void Status(int status, string path, Findings f)
    {
        // Istio's range test admits 600 although its message says 599.
        if (status is < 200 or > 600)
        {
            f.Error(HttpStatus, path, $"HTTP status {status} is not in range 200-599");
        }
    }

    private static void MirrorPercentages(HttpRoute http, string path, Findings f)
    {
        foreach (var (value, field) in new[] { (http.MirrorPercent, "mirrorPercent"), (http.MirrorPercentLegacy, "mirror_percent") })
        {
            if (value is null)
            {
                continue;
            }

            if (value > 100)
            {
                f.Error(Percentage, $"{path}.{field}", $"mirror_percent must have a max value of 100 (it has {value})");
            }

            f.Warning(Percentage, $"{path}.{field}", "using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
        }

        if (http.MirrorPercentage?.Value is { } percentage)
        {
            if (percentage > 100)
            {
                f.Error(Percentage, $"{path}.mirrorPercentage.value", $"mirror_percentage must have a max value of 100 (it has {GoFloat(percentage)})");
            }

            if (percentage < 0)
            {
                f.Error(Percentage, $"{path}.mirrorPercentage.value", $"mirror_percentage must have a min value of 0 (it has {GoFloat(percentage)})");
            }
        }
    }

    /// <summary>
    /// Istio's validateHTTPRedirect, which stops at the first failure: something to redirect to (empty strings and
    /// <c>redirectCode: 0</c> count as unset; a written <c>port</c> or <c>derivePort</c> counts even when 0), a 3xx code,
    /// an http or https scheme, a port in range. Then <c>prefixRewrite</c> (Istio 1.31): it replaces the prefix the
    /// request matched, so a match on the uri must be a prefix match; a rule that does not match on the uri (no match, or
    /// only headers, port, ...) matches prefix <c>/</c> and is fine.
    /// </summary>
    private static void Redirect(HttpRoute http, string path, Findings f)
    {
        if (http.Redirect is not { } redirect)
        {
            return;
        }

        if (!Proto3.IsSet(redirect.Uri) && !Proto3.IsSet(redirect.Authority) && redirect.Port is null &&
            redirect.DerivePort is null && !Proto3.IsSet(redirect.Scheme) && !Proto3.IsSet(redirect.PrefixRewrite))
        {
            f.Error(ValidationCodes.Redirect, path, "redirect must specify URI, authority, scheme, or port");
            return;
        }

        if (Proto3.IsSet(redirect.RedirectCode) && redirect.RedirectCode is < 300 or > 399)
        {
            f.Error(ValidationCodes.Redirect, $"{path}.redirectCode", $"{redirect.RedirectCode} is not a valid redirect code, must be 3xx");
            return;
        }

        if (Proto3.IsSet(redirect.Scheme) && redirect.Scheme is not ("http" or "https"))
        {
            f.Error(ValidationCodes.Redirect, $"{path}.scheme", "invalid redirect scheme, must be \"http\" or \"https\"");
            return;
        }

        if (redirect.Port is > 65535)
        {
            f.Error(ValidationCodes.Redirect, $"{path}.port", $"port number {redirect.Port} must be in the range 1..65535");
            return;
        }

        if (Proto3.IsSet(redirect.RedirectCode) && !RedirectCodes.Contains(redirect.RedirectCode!.Value))
        {
            // Istio accepts any 3xx but translates only these; for another code it emits the route without an action.
            f.Warning(ValidationCodes.Redirect, $"{path}.redirectCode",
                $"{redirect.RedirectCode} is not a redirect code Envoy can answer, so Istio leaves this route without an action: use 301, 302, 303, 307 or 308");
        }

        if (redirect.Port is not null && redirect.DerivePort is not null)
        {
            f.Error(ValidationCodes.Redirect, $"{path}.derivePort", "only one of port or derivePort may be set");
        }

        if (redirect.DerivePort is { } derive && derive is not ("FROM_PROTOCOL_DEFAULT" or "FROM_REQUEST_PORT"))
        {
            f.Error(ValidationCodes.Redirect, $"{path}.derivePort",
                $"unknown derivePort \"{derive}\"; use FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT");
        }

        if (!Proto3.IsSet(redirect.PrefixRewrite))
        {
            return;
        }

        for (var m = 0; m < http.Match.Count; m++)
        {
            if (http.Match[m].Uri is { } uri && uri.Prefix is null)
            {
                f.Error(ValidationCodes.Redirect, $"{path}.prefixRewrite",
                    $"prefixRewrite replaces the matched uri prefix, but match[{m}] matches the uri {(uri.Exact is not null ? "exactly" : "by regex")}: " +
                    "use a uri prefix match, or redirect.uri to replace the whole path");
                break;
            }
        }

        if (Proto3.IsSet(redirect.Uri))
        {
            f.Warning(ValidationCodes.Redirect, $"{path}.prefixRewrite", "uri and prefixRewrite are both set: the redirect uses uri and ignores prefixRewrite");
        }
    }

    private static void DirectResponse(HttpDirectResponse? response, string path, Findings f)
    {
        if (response is null)
        {
            return;
        }

        if (response.Status is not { } status)
        {
            f.Error(HttpStatus, $"{path}.status", "HTTP status 0 is not in range 200-599");
        }
        else
        {
            Status(status, $"{path}.status", f);
        }

        if (response.Body is { } body)
        {
            if (body.String is not null && body.Bytes is not null)
            {
                f.Error(RouteAction, $"{path}.body", "only one of string or bytes may be set in a direct response body");
            }

            var size = body.String?.Length ?? (body.Bytes?.Length ?? 0) * 3 / 4;
            if (size > 1024 * 1024)
            {
                f.Error(RouteAction, $"{path}.body", "large direct_responses may impact control plane performance, must be less than 1MB");
            }
            else if (size > 100 * 1024)
            {
                f.Warning(RouteAction, $"{path}.body", "large direct_responses may impact control plane performance");
            }
        }
    }

    private static void Retries(HttpRetry? retries, string path, Findings f)
    {
        if (retries is null)
        {
            return;
        }

        var attempts = retries.Attempts ?? 0;
        if (attempts < 0)
        {
            f.Error(ValidationCodes.Retries, $"{path}.attempts", "attempts cannot be negative");
        }

        if (attempts == 0 && (retries.PerTryTimeout is not null || Proto3.IsSet(retries.RetryOn) || retries.RetryRemoteLocalities is not null))
        {
            f.Error(ValidationCodes.Retries, path, "http retry policy configured when attempts are set to 0 (disabled)");
        }

        if (retries.PerTryTimeout is { } perTry && Istio.Durations.ValidationError(perTry) is { } error)
        {
            f.Error(ValidationCodes.Duration, $"{path}.perTryTimeout", error);
        }

        if (retries.Backoff is { } backoff && Istio.Durations.ValidationError(backoff) is { } backoffError)
        {
            f.Error(ValidationCodes.Duration, $"{path}.backoff", backoffError);
        }

        if (Proto3.IsSet(retries.RetryOn))
        {
            foreach (var policy in retries.RetryOn!.Split(','))
            {
                // Istio reads a number with Go's strconv.Atoi (an optional sign, decimal digits) and keeps the ones
                // Go's http.StatusText names.
                var isStatus = int.TryParse(policy, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) &&
                               KnownStatusCodes.Contains(code);
                if (!isStatus && !RetryOn.Contains(policy))
                {
                    f.Error(ValidationCodes.Retries, $"{path}.retryOn", $"\"{policy}\" is not a valid retryOn policy");
                }
            }
        }
    }

    private static void Rewrite(HttpRewrite? rewrite, string path, Findings f)
    {
        if (rewrite is null)
        {
            return;
        }

        if (rewrite.Uri is { Length: > 0 } && rewrite.UriRegexRewrite is not null)
        {
            f.Error(ValidationCodes.Rewrite, path, "rewrite may only contain one of URI or UriRegexRewrite");
            return;
        }

        if (string.IsNullOrEmpty(rewrite.Uri) && rewrite.UriRegexRewrite is null && string.IsNullOrEmpty(rewrite.Authority))
        {
            f.Error(ValidationCodes.Rewrite, path,
                "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified");
            return;
        }

        if (rewrite.UriRegexRewrite is { } regexRewrite)
        {
            if (string.IsNullOrEmpty(regexRewrite.Match) || string.IsNullOrEmpty(regexRewrite.Rewrite))
            {
                f.Error(ValidationCodes.Rewrite, $"{path}.uriRegexRewrite",
                    "UriRegexRewrite has errors: UriRegexRewrite requires both Rewrite and Match fields to be specified");
            }
            else if (Re2Syntax.Error(regexRewrite.Match) is { } error)
            {
                f.Error(RegexSyntax, $"{path}.uriRegexRewrite.match",
                    "UriRegexRewrite has errors: " + Re2Message("HTTPRewrite.UriRegexRewrite.Match", error));
            }
        }
    }

    private static void AuthorityOnce(HttpRoute http, string path, Findings f)
    {
        var current = http.Rewrite?.Authority ?? "";
        var request = http.Headers?.Request;
        if (request is null)
        {
            return;
        }

        foreach (var (operation, map) in new[] { ("set", request.Set), ("add", request.Add) })
        {
            foreach (var (name, value) in map)
            {
                if (!IsAuthority(name))
                {
                    continue;
                }

                if (current.Length > 0)
                {
                    f.Error(Authority, $"{path}.headers.request.{operation}.{name}",
                        $"authority header cannot be set multiple times: have \"{current}\", attempting to set \"{value}\"");
                    return;
                }

                current = value;
            }
        }
    }

    private static void HttpDestinations(IReadOnlyList<HttpRouteDestination> route, string path, Findings f)
    {
        var total = 0;
        for (var i = 0; i < route.Count; i++)
        {
            var destination = route[i];
            var at = $"{path}[{i}]";
            if (destination.Destination is null)
            {
                f.Error(ValidationCodes.Destination, at, "destination is required");
            }
            else
            {
                Destination(destination.Destination, $"{at}.destination", f);
            }

            HeaderOperations(destination.Headers, $"{at}.headers", f);
            total += Weight(destination.Weight, $"{at}.weight", f);
        }

        if (route.Count > 1 && total == 0)
        {
            f.Error(ValidationCodes.Weight, path, "total destination weight = 0");
        }
    }

    private static void L4Destinations(IReadOnlyList<RouteDestination> route, string path, Findings f)
    {
        var total = 0;
        for (var i = 0; i < route.Count; i++)
        {
            if (route[i].Destination is null)
            {
                f.Error(ValidationCodes.Destination, $"{path}[{i}]", "destination is required");
            }
            else
            {
                Destination(route[i].Destination!, $"{path}[{i}].destination", f);
            }

            total += Weight(route[i].Weight, $"{path}[{i}].weight", f);
        }

        if (route.Count > 1 && total == 0)
        {
            f.Error(ValidationCodes.Weight, path, "total destination weight = 0");
        }
    }

    private static int Weight(int? weight, string path, Findings f)
    {
        if (weight is < 0)
        {
            f.Error(ValidationCodes.Weight, path, $"weight {weight} < 0");
            return 0;
        }

        return weight ?? 0;
    }

    internal static void Destination(Destination destination, string path, Findings f)
    {
        var host = destination.Host ?? "";
        if (host == "*")
        {
            f.Error(ValidationCodes.Destination, $"{path}.host", $"invalid destination host {host}");
        }
        else if (Names.WildcardDomainError(host) is { } error)
        {
            f.Error(ValidationCodes.Destination, $"{path}.host", error);
        }

        if (Proto3.IsSet(destination.Subset) && !Names.IsDns1123Label(destination.Subset))
        {
            f.Error(ValidationCodes.Destination, $"{path}.subset", $"subset name is invalid: {destination.Subset}");
        }

        if (destination.Port is { } port && (port.Number ?? 0) is var number and (< 1 or > 65535))
        {
            f.Error(ValidationCodes.Destination, $"{path}.port.number", $"port number {number} must be in the range 1..65535");
        }
    }
}

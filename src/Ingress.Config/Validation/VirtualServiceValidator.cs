using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>The checks Istio's ValidateVirtualService makes (pkg/config/validation/validation.go, virtualservice.go).</summary>
internal static class VirtualServiceValidator
{
    private static readonly int[] RedirectCodes = [301, 302, 303, 307, 308];

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE",
    };

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

        var appliesToGateway = spec.Gateways.Count > 0 && !spec.Gateways.Contains("mesh");
        var appliesToMesh = !appliesToGateway;
        GatewayNames(spec.Gateways, "spec.gateways", f);
        ValidateHosts(spec.Hosts, appliesToMesh, f);

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
            var route = spec.Tls[i];
            var path = $"spec.tls[{i}]";
            if (route.Match.Count == 0)
            {
                f.Error(VirtualServiceRules, $"{path}.match", "TLS route must have at least one match condition");
            }

            for (var m = 0; m < route.Match.Count; m++)
            {
                if (route.Match[m].SniHosts.Count == 0)
                {
                    f.Error(VirtualServiceRules, $"{path}.match[{m}].sniHosts", "TLS match must have at least one SNI host");
                }

                GatewayNames(route.Match[m].Gateways, $"{path}.match[{m}].gateways", f);
            }

            if (route.Route.Count == 0)
            {
                f.Error(RouteAction, $"{path}.route", "TLS route is required");
            }

            L4Destinations(route.Route, $"{path}.route", f);
        }

        for (var i = 0; i < spec.Tcp.Count; i++)
        {
            var route = spec.Tcp[i];
            var path = $"spec.tcp[{i}]";
            if (route.Route.Count == 0)
            {
                f.Error(RouteAction, $"{path}.route", "TCP route is required");
            }

            for (var m = 0; m < route.Match.Count; m++)
            {
                GatewayNames(route.Match[m].Gateways, $"{path}.match[{m}].gateways", f);
            }

            L4Destinations(route.Route, $"{path}.route", f);
        }
    }

    private static void ValidateHosts(IReadOnlyList<string> hosts, bool appliesToMesh, Findings f)
    {
        var allValid = true;
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            if (Names.WildcardDomainError(host) is { } error)
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
                if (HostsOverlap(hosts[i], hosts[j]))
                {
                    f.Error(VirtualServiceHosts, $"spec.hosts[{j}]", $"duplicate hosts in virtual service: {hosts[i]} & {hosts[j]}");
                }
            }
        }
    }

    /// <summary>Istio's host.Name.Matches: equal, or one a wildcard that covers the other.</summary>
    internal static bool HostsOverlap(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || a == "*" || b == "*")
        {
            return true;
        }

        static bool Covers(string wildcard, string other) =>
            wildcard.StartsWith('*') && other.EndsWith(wildcard[1..], StringComparison.OrdinalIgnoreCase);

        return Covers(a, b) || Covers(b, a);
    }

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

                continue;
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
                    $"mirror percentage must have a {(value > 100 ? "max value of 100" : "min value of 0")} (it has {value:0.######})");
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

            if (http.DirectResponse is not null)
            {
                f.Error(RouteAction, $"{path}.directResponse", $"root HTTP route {name} must not specify direct_response");
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

        if (match.Port is { } port and (< 1 or > 65535))
        {
            f.Error(ValidationCodes.MatchRequest, $"{path}.port", $"port number {port} must be in the range 1..65535");
        }

        GatewayNames(match.Gateways, $"{path}.gateways", f);
        if (match.SourceNamespace is { Length: > 0 } sourceNamespace && !Names.IsDns1123Label(sourceNamespace))
        {
            f.Error(ValidationCodes.MatchRequest, $"{path}.sourceNamespace", $"sourceNamespace match {sourceNamespace} is invalid");
        }
    }

    private static void HeaderMatchName(string name, string path, Findings f)
    {
        if (name.StartsWith("@request.auth.claims", StringComparison.Ordinal))
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
        if (value.Any(c => c is < '\u0009' or (> '\u0009' and < '\u0020') or '\u007f'))
        {
            f.Error(HeaderName, path, $"header value configuration {value} is invalid");
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
            if (delay.Percent is { } percent and (< 0 or > 100))
            {
                f.Error(Percentage, $"{path}.delay.percent", $"percentage {percent} is not in range 0..100");
            }

            if (delay.FixedDelay is { } fixedDelay)
            {
                if (Istio.Durations.ValidationError(fixedDelay) is { } error)
                {
                    f.Error(ValidationCodes.Duration, $"{path}.delay.fixedDelay", error);
                }
            }
            else if (delay.ExponentialDelay is not null)
            {
                f.Error(ValidationCodes.Fault, $"{path}.delay.exponentialDelay", "exponentialDelay not supported yet");
            }
            else
            {
                f.Error(ValidationCodes.Fault, $"{path}.delay", "delay needs fixedDelay (for example 5s)");
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

    private static void Status(int status, string path, Findings f)
    {
        if (status is < 200 or > 599)
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
                f.Error(Percentage, $"{path}.mirrorPercentage.value", $"mirror_percentage must have a max value of 100 (it has {percentage:0.######})");
            }

            if (percentage < 0)
            {
                f.Error(Percentage, $"{path}.mirrorPercentage.value", $"mirror_percentage must have a min value of 0 (it has {percentage:0.######})");
            }
        }
    }

    private static void Redirect(HttpRoute http, string path, Findings f)
    {
        if (http.Redirect is not { } redirect)
        {
            return;
        }

        if (redirect.Uri is null && redirect.Authority is null && redirect.Port is null && redirect.DerivePort is null &&
            redirect.Scheme is null && redirect.PrefixRewrite is null)
        {
            f.Error(ValidationCodes.Redirect, path, "redirect must specify URI, authority, scheme, or port");
        }

        if (redirect.RedirectCode is { } code)
        {
            if (code is < 300 or > 399)
            {
                f.Error(ValidationCodes.Redirect, $"{path}.redirectCode", $"{code} is not a valid redirect code, must be 3xx");
            }
            else if (!RedirectCodes.Contains(code))
            {
                f.Error(ValidationCodes.Redirect, $"{path}.redirectCode",
                    $"{code} is not a redirect code Envoy can answer: use 301, 302, 303, 307 or 308");
            }
        }

        if (redirect.Scheme is { } scheme && scheme is not ("http" or "https"))
        {
            f.Error(ValidationCodes.Redirect, $"{path}.scheme", "invalid redirect scheme, must be \"http\" or \"https\"");
        }

        if (redirect.Port is { } port and (< 1 or > 65535))
        {
            f.Error(ValidationCodes.Redirect, $"{path}.port", $"port number {port} must be in the range 1..65535");
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

        if (redirect.PrefixRewrite is not null)
        {
            if (redirect.Uri is not null)
            {
                f.Error(ValidationCodes.Redirect, $"{path}.prefixRewrite", "only one of uri or prefixRewrite may be set");
            }

            // The prefix replaced is the one the request matched, so every match must be a uri prefix match.
            if (http.Match.Count == 0 || http.Match.Any(m => m.Uri?.Prefix is null))
            {
                f.Error(ValidationCodes.Redirect, $"{path}.prefixRewrite",
                    "prefixRewrite replaces the matched uri prefix, so every match of this rule must be a uri prefix match");
            }
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

        if (attempts == 0 && (retries.PerTryTimeout is not null || retries.RetryOn is not null || retries.RetryRemoteLocalities is not null))
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

        if (retries.RetryOn is { } retryOn)
        {
            foreach (var policy in retryOn.Split(','))
            {
                var isStatus = int.TryParse(policy, System.Globalization.CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599;
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

        if (destination.Subset is { } subset)
        {
            if (subset.Length == 0)
            {
                f.Error(ValidationCodes.Destination, $"{path}.subset", "subset name cannot be empty");
            }
            else if (!Names.IsDns1123Label(subset))
            {
                f.Error(ValidationCodes.Destination, $"{path}.subset", $"subset name is invalid: {subset}");
            }
        }

        if (destination.Port is { } port && (port.Number ?? 0) is var number and (< 1 or > 65535))
        {
            f.Error(ValidationCodes.Destination, $"{path}.port.number", $"port number {number} must be in the range 1..65535");
        }
    }
}

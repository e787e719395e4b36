using System.Globalization;
using System.Net.Security;
using System.Text;
using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Runtime.Forwarding;
using Ingress.LocalGateway.Runtime.Policies;
using Ingress.LocalGateway.Runtime.Routing;
using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ingress.LocalGateway.Runtime.Explain;

/// <summary>
/// Runs one request through the gateway's own decisions, offline: the TLS server choice Hosting makes in the
/// handshake, the canonicalizer, the edge, security, route selection, CORS and local-action stages themselves on an
/// in-memory request, and the forwarding stage's decision (rewrites, header operations, endpoint), with the network
/// replaced by a record of what each step decided. Nothing here decides on its own: it reads what the stages did.
/// </summary>
public static class RequestExplainer
{
    /// <summary>What the client gets in x-request-id's place in the record: a new one is made for every request.</summary>
    public const string GeneratedRequestId = "(generated per request)";

    /// <summary>Explains <paramref name="probe"/> against a compiled snapshot.</summary>
    /// <param name="snapshot">The config as the gateway would serve it.</param>
    /// <param name="probe">The request.</param>
    /// <param name="numTrustedProxies">The gateway's trusted proxy hops (x-forwarded-for), as served.</param>
    public static async Task<RequestExplanation> ExplainAsync(GatewaySnapshot snapshot, ExplainRequest probe, int numTrustedProxies = 0)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(probe);
        var ports = snapshot.Listeners.Keys.Order().ToList();
        if (!snapshot.Listeners.TryGetValue(probe.Port, out var listener))
        {
            var refusal = ports.Count == 0
                ? $"nothing listens on port {probe.Port}: the config has no Gateway server for this gateway"
                : $"nothing listens on port {probe.Port}: the Gateway servers take port(s) {string.Join(", ", ports)}";
            return Refused(probe, new ListenerStep { Port = probe.Port, Ports = ports, Refusal = refusal });
        }

        var listenerStep = ListenerOf(listener, ports, probe);
        if (listenerStep.Refusal is not null)
        {
            return Refused(probe, listenerStep);
        }

        using var clients = new UpstreamClientPool();
        var serving = new ServingSnapshot(snapshot, clients.Activate(snapshot.ClusterList), new ActiveSecurity(snapshot.Security));
        var http = NewContext(probe, listener);
        var body = new MemoryStream();
        http.Response.Body = body;
        var sent = Headers(http.Request.Headers);

        var refused = RequestCanonicalizer.Apply(http, snapshot.PathNormalization, out var target);
        var request = new GatewayRequest(http, serving, listener, target);
        http.Features.Set(request);
        var normalization = new NormalizationStep
        {
            Mode = snapshot.PathNormalization.MeshConfigName(),
            Received = target.Received,
            Normalized = target.PathAndQuery,
            Refusal = refused?.Details,
        };
        if (refused is not null)
        {
            await LocalReply.RefuseAsync(request, refused).ConfigureAwait(false);
            return Explained(probe, listenerStep, normalization, request, body);
        }

        // The stages before routing, then routing, exactly as the gateway orders them (LocalGatewayHost).
        if (await new EdgeHeadersStage().InvokeAsync(request).ConfigureAwait(false)
            || await new GatewaySecurityStage(numTrustedProxies).InvokeAsync(request).ConfigureAwait(false))
        {
            return Explained(probe, listenerStep, normalization, request, body);
        }

        var done = await new RouteSelectionStage().InvokeAsync(request).ConfigureAwait(false);
        var (vhostStep, routes) = RoutingOf(request);
        var explanation = Explained(probe, listenerStep, normalization, request, body) with { VirtualHost = vhostStep, Routes = routes };
        if (done)
        {
            return explanation;
        }

        var route = request.Route!;
        var fault = route.Policies.Fault;
        // The fault filter draws per request: the abort is predicted when it takes every request, and only described
        // otherwise (the delay is never waited out here).
        if (fault is { HasAbort: true } && fault.AbortFraction.PerMillion >= Fraction.All.PerMillion)
        {
            await LocalReply.FaultAbortReply(request, fault.AbortHttpStatus, fault.AbortGrpcStatus).ConfigureAwait(false);
            done = true;
        }

        done = done
               || await new CorsStage().InvokeAsync(request).ConfigureAwait(false)
               || await new LocalActionStage().InvokeAsync(request).ConfigureAwait(false);
        if (done)
        {
            return Explained(probe, listenerStep, normalization, request, body) with
            {
                VirtualHost = vhostStep,
                Routes = routes,
                Action = ActionOf(request, route),
            };
        }

        // The forwarding stage's decisions, without its network: the destination's header operations, rewrite and
        // authority, then the cluster and the endpoint its balancer picks.
        var forward = (ForwardAction)route.Action;
        var destination = request.Destination ?? forward.Pick();
        request.Destination = destination;
        ForwardingStage.PrepareUpstreamRequest(request, route, destination, forward.Destinations.Count > 1);
        ForwardedRequest? forwarded = null;
        if (request.Upstream is not { } cluster)
        {
            await LocalReply.ClusterNotFound(request).ConfigureAwait(false);
        }
        else if (ForwardingStage.PickEndpoint(cluster, route.Policies.Retry, null) is not { } endpoint)
        {
            await LocalReply.NoHealthyUpstreamReply(request).ConfigureAwait(false);
        }
        else
        {
            forwarded = ForwardedOf(request, sent, cluster, endpoint.AddressText);
        }

        explanation = Explained(probe, listenerStep, normalization, request, body);
        return explanation with
        {
            VirtualHost = vhostStep,
            Routes = routes,
            Action = ActionOf(request, route),
            Outcome = forwarded is null
                ? explanation.Outcome
                : new OutcomeStep { Kind = OutcomeKinds.Forwarded, Forwarded = forwarded },
        };
    }

    private static RequestExplanation Refused(ExplainRequest probe, ListenerStep listener) => new()
    {
        Request = probe,
        Listener = listener,
        Outcome = new OutcomeStep { Kind = OutcomeKinds.ConnectionRefused, Refusal = listener.Refusal },
    };

    // The listener, and on an HTTPS port the handshake: Hosting's own choice of server by SNI (ListenerConfig.ChooseTls),
    // then the server's client-certificate check (its validation callback) for MUTUAL and OPTIONAL_MUTUAL.
    private static ListenerStep ListenerOf(ListenerConfig listener, IReadOnlyList<int> ports, ExplainRequest probe)
    {
        var step = new ListenerStep
        {
            Port = listener.Port,
            Protocol = listener.Protocol == ListenerProtocol.Https ? "HTTPS" : "HTTP",
            Address = listener.Address.ToString(),
            Ports = ports,
            Sni = probe.Scheme == "https" ? probe.Sni : null,
            Servers = listener.TlsServers.Select(Info).ToList(),
        };
        if (listener.Protocol == ListenerProtocol.Http)
        {
            return probe.Scheme == "https"
                ? step with { Refusal = $"port {listener.Port} serves plain HTTP: a TLS handshake fails (use http://)" }
                : step;
        }

        if (probe.Scheme != "https")
        {
            return step with { Refusal = $"port {listener.Port} serves HTTPS: a plain-text request is not answered (use https://)" };
        }

        var choice = listener.ChooseTls(probe.Sni);
        step = step with { Server = choice.Server is null ? null : Info(choice.Server), MatchedHost = choice.MatchedHost };
        if (choice.Refusal is not null)
        {
            return step with { Refusal = "TLS handshake fails: " + choice.Refusal };
        }

        var options = choice.Server!.Tls.Options!;
        if (options.RemoteCertificateValidationCallback is { } validate
            && !validate(listener, probe.ClientCertificate, null, probe.ClientCertificate is null ? SslPolicyErrors.RemoteCertificateNotAvailable : SslPolicyErrors.None))
        {
            return step with
            {
                Refusal = probe.ClientCertificate is null
                    ? $"TLS handshake fails: the server ({choice.Server.Tls.Mode}) requires a client certificate (--client-cert)"
                    : $"TLS handshake fails: the client certificate '{probe.ClientCertificate.Subject}' is not trusted by the server's CA ({choice.Server.Tls.Mode})",
            };
        }

        return step;
    }

    private static TlsServerInfo Info(TlsServer server) => new()
    {
        Source = server.Source,
        Hosts = server.Hosts,
        Mode = server.Tls.Mode,
        Credential = server.Tls.CredentialSource,
        Certificate = server.Tls.CertificateSummary,
        CredentialFailure = server.Tls.Failure,
    };

    private static DefaultHttpContext NewContext(ExplainRequest probe, ListenerConfig listener)
    {
        var http = new DefaultHttpContext();
        var feature = http.Features.Get<IHttpRequestFeature>()!;
        feature.Protocol = "HTTP/1.1";
        feature.Method = probe.Method;
        feature.Scheme = probe.Scheme;
        feature.RawTarget = probe.Target;
        var q = probe.Target.IndexOf('?', StringComparison.Ordinal);
        var path = q >= 0 ? probe.Target[..q] : probe.Target;
        feature.Path = path.StartsWith('/') ? PathString.FromUriComponent(path).Value ?? "/" : "/";
        feature.QueryString = q >= 0 ? probe.Target[q..] : "";
        var headers = http.Request.Headers;
        headers.Host = probe.Authority;
        foreach (var (name, value) in probe.Headers)
        {
            headers.Append(name, value);
        }

        http.Connection.RemoteIpAddress = probe.SourceIp;
        http.Connection.RemotePort = 40000;
        http.Connection.LocalIpAddress = listener.Address.Address;
        http.Connection.LocalPort = listener.Address.Port;
        if (probe.Scheme == "https")
        {
            http.Connection.ClientCertificate = probe.ClientCertificate;
            http.Features.Set<ITlsHandshakeFeature>(new Handshake(probe.Sni));
        }

        return http;
    }

    private static List<KeyValuePair<string, string>> Headers(IHeaderDictionary headers) =>
        headers.Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value.ToString())).ToList();

    private static RequestExplanation Explained(ExplainRequest probe, ListenerStep listener, NormalizationStep normalization,
        GatewayRequest request, MemoryStream body)
    {
        var response = request.Http.Response;
        return new RequestExplanation
        {
            Request = probe,
            Listener = listener,
            Normalization = normalization,
            Security = SecurityOf(request),
            Outcome = new OutcomeStep
            {
                Kind = OutcomeKinds.LocalReply,
                Status = response.StatusCode,
                Body = Encoding.UTF8.GetString(body.ToArray()),
                Location = response.Headers.Location.Count > 0 ? response.Headers.Location.ToString() : null,
                ResponseFlags = request.ResponseFlags,
                Details = request.ResponseDetails,
            },
        };
    }

    // The route table and virtual host RouteSelectionStage looked in, and every route of it as the matcher judged it.
    private static (VirtualHostStep? Host, IReadOnlyList<RouteStep> Routes) RoutingOf(GatewayRequest request)
    {
        var table = request.Listener.Protocol == ListenerProtocol.Https ? request.Server?.Routes : request.Listener.HttpRoutes;
        if (table is null)
        {
            return (null, []);
        }

        var vhost = table.Select(request.Authority, out var how);
        var step = new VirtualHostStep
        {
            RouteTable = table.Name,
            Authority = request.Authority,
            Domains = table.VirtualHosts.Select(v => v.Domain).ToList(),
            Chosen = vhost?.Domain,
            Match = how.ToString().ToLowerInvariant(),
            HttpsRedirect = vhost?.RequireTls ?? false,
        };
        if (vhost is null || (vhost.RequireTls && request.Scheme == "http"))
        {
            return (step, []);
        }

        var routes = new List<RouteStep>();
        RouteEntry? matched = null;
        RouteEntry? catchAll = null;
        for (var i = 0; i < vhost.Routes.Count; i++)
        {
            var route = vhost.Routes[i];
            var conditions = Conditions(route.Match);
            if (matched is not null)
            {
                var shadow = catchAll?.Source;
                routes.Add(new RouteStep
                {
                    Index = i, Name = route.Name, Source = route.Source, Conditions = conditions,
                    Result = shadow is null ? RouteResults.NotTried : RouteResults.Shadowed,
                    ShadowedBy = shadow,
                });
                continue;
            }

            var mismatch = route.Match.FirstMismatch(request);
            if (mismatch.IsNone)
            {
                matched = route;
                routes.Add(new RouteStep { Index = i, Name = route.Name, Source = route.Source, Conditions = conditions, Result = RouteResults.Matched });
            }
            else
            {
                var (condition, actual) = Failed(route.Match, mismatch, request);
                routes.Add(new RouteStep
                {
                    Index = i, Name = route.Name, Source = route.Source, Conditions = conditions, Result = RouteResults.NoMatch,
                    FailedCondition = condition, Actual = actual,
                });
            }

            if (route.Match.IsCatchAll && catchAll is null)
            {
                catchAll = route;
            }
        }

        // The rules Istio built no route for, after a catch-all of their VirtualService.
        foreach (var dropped in vhost.Unreachable)
        {
            routes.Add(new RouteStep
            {
                Index = routes.Count, Name = "", Source = dropped.Source, Conditions = [], Result = RouteResults.Shadowed,
                ShadowedBy = dropped.ShadowedBy,
            });
        }

        return (step, routes);
    }

    /// <summary>A matcher's conditions in the order they are checked, each as <c>uri exact /test/hello</c>.</summary>
    public static IReadOnlyList<string> Conditions(RequestMatcher match)
    {
        var list = new List<string> { "uri " + Text(match.Path) + (match.Path.IgnoreCase ? " (ignoreUriCase)" : "") };
        if (match.Method is not null)
        {
            list.Add("method " + Text(match.Method));
        }

        if (match.Scheme is not null)
        {
            list.Add("scheme " + Text(match.Scheme));
        }

        if (match.Authority is not null)
        {
            list.Add("authority " + Text(match.Authority));
        }

        list.AddRange(match.Headers.Select(Header));
        list.AddRange(match.QueryParams.Select(q => $"query {q.Name} {Text(q.Matcher)}"));
        return list;
    }

    private static string Header(HeaderCondition h) =>
        (h.Invert ? "withoutHeaders " : "header ") + (h.ClaimPath is null ? h.Name : "@request.auth.claims." + string.Join('.', h.ClaimPath))
        + " " + Text(h.Matcher);

    private static string Text(StringMatcher matcher) =>
        matcher.Kind == StringMatchKind.Present ? "present" : matcher.Kind.ToString().ToLowerInvariant() + " " + matcher.Value;

    private static (string Condition, string Actual) Failed(RequestMatcher match, MatchMismatch mismatch, GatewayRequest request)
    {
        switch (mismatch.Condition)
        {
            case MatchCondition.Uri:
                return ("uri " + Text(match.Path) + (match.Path.IgnoreCase ? " (ignoreUriCase)" : ""), request.Path);
            case MatchCondition.Method:
                return ("method " + Text(match.Method!), request.Method);
            case MatchCondition.Scheme:
                return ("scheme " + Text(match.Scheme!), request.Scheme);
            case MatchCondition.Authority:
                return ("authority " + Text(match.Authority!), request.Authority);
            case MatchCondition.Header:
                var header = match.Headers[mismatch.Index];
                if (header.ClaimPath is not null)
                {
                    return (Header(header), request.Jwt is null ? "(no verified token)" : "(the token's claim does not match)");
                }

                return (Header(header), request.Headers.TryGetValue(header.Name, out var values) ? values.ToString() : "(absent)");
            default:
                var query = match.QueryParams[mismatch.Index];
                return ($"query {query.Name} {Text(query.Matcher)}", request.Query.Length == 0 ? "(no query)" : request.Query);
        }
    }

    private static ActionStep ActionOf(GatewayRequest request, RouteEntry route)
    {
        var policies = route.Policies;
        var step = new ActionStep
        {
            Kind = "forward",
            Timeout = policies.Timeout is { } timeout ? Duration(timeout) : null,
            Retries = policies.Retry is { } retry
                ? $"{retry.NumRetries} retr{(retry.NumRetries == 1 ? "y" : "ies")} on {retry.RetryOnText}"
                  + (retry.RetriableStatusCodes.Count > 0 ? $" (status {string.Join(',', retry.RetriableStatusCodes)})" : "")
                  + (retry.PerTryTimeout is { } perTry ? $", {Duration(perTry)} per try" : "")
                : null,
            Fault = policies.Fault is { } fault ? Fault(fault) : null,
            Mirrors = policies.Mirrors.Select(m => $"{m.Destination.Host}:{m.Destination.Port} {m.Fraction}").ToList(),
            Cors = policies.Cors is not null,
            RequestHeaderOperations = Operations(route.RequestHeaders),
            ResponseHeaderOperations = Operations(route.ResponseHeaders),
        };
        switch (route.Action)
        {
            case RedirectAction redirect:
                return step with { Kind = "redirect", Status = redirect.StatusCode, RedirectLocation = LocalActionStage.Location(request, redirect) };
            case DirectResponseAction direct:
                return step with { Kind = "direct_response", Status = direct.StatusCode };
        }

        var forward = (ForwardAction)route.Action;
        var destination = request.Destination;
        return step with
        {
            Destinations = forward.Destinations.Select(d => new DestinationInfo
            {
                Cluster = d.ClusterName,
                Host = d.Host,
                Port = d.Port,
                Subset = d.Subset,
                Weight = forward.Destinations.Count == 1 ? 100 : d.Weight,
                Known = d.Cluster is not null,
                Endpoints = d.Cluster?.Endpoints.Select(e => e.AddressText).ToList() ?? [],
            }).ToList(),
            ForwardedPath = request.UpstreamPathAndQuery.Length > 0 ? request.UpstreamPathAndQuery : null,
            PathRewritten = route.Rewrite is not null,
            ForwardedAuthority = request.UpstreamAuthority.Length > 0 ? request.UpstreamAuthority : null,
            AuthorityRewritten = (route.Authority ?? destination?.Authority) is not null,
            RequestHeaderOperations = [.. Operations(route.RequestHeaders), .. Operations(destination?.RequestHeaders ?? HeaderMutation.None)],
            ResponseHeaderOperations = [.. Operations(route.ResponseHeaders), .. Operations(destination?.ResponseHeaders ?? HeaderMutation.None)],
        };
    }

    private static string Fault(FaultPolicy fault)
    {
        var parts = new List<string>();
        if (fault.Delay is { } delay)
        {
            parts.Add($"delay {Duration(delay)} for {fault.DelayFraction} of requests");
        }

        if (fault.HasAbort)
        {
            var status = fault.AbortHttpStatus is { } code ? code.ToString(CultureInfo.InvariantCulture) : $"grpc-status {fault.AbortGrpcStatus}";
            parts.Add($"abort {status} for {fault.AbortFraction} of requests");
        }

        return string.Join(", ", parts);
    }

    private static string Duration(TimeSpan span) => span.TotalSeconds >= 1 && span.Milliseconds == 0
        ? span.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s"
        : span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";

    private static List<string> Operations(HeaderMutation mutation) =>
    [
        .. mutation.Remove.Select(name => "remove " + name),
        .. mutation.Operations.Select(op => $"{(op.Append ? "add" : "set")} {op.Name}: {op.Value}"),
    ];

    // What the security stage decided: the JWT verdict, then the policies in Istio's order with the one that decided.
    private static SecurityStep? SecurityOf(GatewayRequest request)
    {
        var policy = request.Serving.Security.Policy;
        if (policy.IsEmpty)
        {
            return null;
        }

        var verdict = request.SecurityVerdict;
        var issuers = policy.JwtProviders.Select(p => p.Issuer.Length == 0 ? "(any issuer)" : p.Issuer).ToList();
        var (jwt, jwtDetail) = policy.JwtProviders.Count == 0 ? ("none", null)
            : verdict?.JwtFailure is { } failure ? ("refused", failure)
            : request.Jwt is { } token ? ("verified", token.Principal)
            : ("no token", (string?)null);
        var decision = verdict?.Authorization;
        var steps = new List<PolicyStep>();
        string? outcome = null;
        string? reason = null;
        if (decision is not null)
        {
            var enforced = policy.Authorization.Policies.Where(p => !p.DryRun).ToList();
            var deny = enforced.Where(p => p.Action == "DENY").ToList();
            var allow = enforced.Where(p => p.Action == "ALLOW").ToList();
            var decider = decision.MatchedRule is { } rule ? enforced.FirstOrDefault(p => p.Rules.Any(r => r.Name == rule)) : null;
            var decidedByDeny = decider is not null && decider.Action == "DENY";
            steps.AddRange(Walk(deny, decidedByDeny ? decider : null, decision.MatchedRule));
            if (!decidedByDeny)
            {
                steps.AddRange(Walk(allow, decider, decision.MatchedRule));
            }
            else
            {
                steps.AddRange(allow.Select(p => new PolicyStep { Action = p.Action, Policy = p.Namespace + "/" + p.Name, Result = PolicyResults.NotEvaluated }));
            }

            outcome = decision.Allowed ? "allowed" : "denied";
            reason = decider is not null
                ? $"{decider.Action} {decider.Namespace}/{decider.Name} {RuleLabel(decider, decision.MatchedRule!)} matched"
                : decision.Allowed
                    ? deny.Count == 0 ? "no DENY or ALLOW policy applies" : "no DENY policy matched and no ALLOW policy applies"
                    : "no ALLOW policy matched (when ALLOW policies apply, a request must match one)";
        }

        return new SecurityStep
        {
            JwtIssuers = issuers,
            JwtVerdict = jwt,
            JwtDetail = jwtDetail,
            Policies = steps,
            Decision = outcome,
            Reason = reason,
            DryRun = decision?.DryRun ?? [],
        };
    }

    // Policies of one action are evaluated in order until one matches: the ones before it did not, the ones after it
    // were not evaluated.
    private static IEnumerable<PolicyStep> Walk(IReadOnlyList<CompiledPolicy> policies, CompiledPolicy? decider, string? rule)
    {
        var decided = false;
        foreach (var p in policies)
        {
            var name = p.Namespace + "/" + p.Name;
            if (decided)
            {
                yield return new PolicyStep { Action = p.Action, Policy = name, Result = PolicyResults.NotEvaluated };
            }
            else if (ReferenceEquals(p, decider))
            {
                decided = true;
                yield return new PolicyStep { Action = p.Action, Policy = name, Result = PolicyResults.Matched, Rule = RuleLabel(p, rule!) };
            }
            else
            {
                yield return new PolicyStep { Action = p.Action, Policy = name, Result = PolicyResults.NoMatch };
            }
        }
    }

    private static string RuleLabel(CompiledPolicy policy, string rule)
    {
        for (var i = 0; i < policy.Rules.Count; i++)
        {
            if (policy.Rules[i].Name == rule)
            {
                return $"rule[{i}]";
            }
        }

        return rule;
    }

    // The request as the forwarding stage and its transformer send it: the headers left after every stage (Host is the
    // upstream authority; headers the Connection header names are dropped) and the attempt count.
    private static ForwardedRequest ForwardedOf(GatewayRequest request, IReadOnlyList<KeyValuePair<string, string>> sent,
        ClusterRuntime cluster, string endpoint)
    {
        var connection = request.Headers.Connection;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in Headers(request.Headers))
        {
            if (name is "host" or "connection" || GatewayTransformer.IsConnectionNominated(connection, name))
            {
                continue;
            }

            headers.Add(new(name, name == "x-request-id" ? GeneratedRequestId : value));
        }

        headers.Add(new("x-envoy-attempt-count", "1"));
        var before = sent.Where(h => h.Key != "host").ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
        var after = headers.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        return new ForwardedRequest
        {
            Method = request.Method,
            PathAndQuery = request.UpstreamPathAndQuery,
            Host = request.UpstreamAuthority,
            Headers = headers,
            Added = headers.Where(h => !before.TryGetValue(h.Key, out var old) || old != h.Value).Select(h => h.Key).ToList(),
            Removed = before.Keys.Where(k => !after.Contains(k)).ToList(),
            Cluster = cluster.Name,
            Endpoint = endpoint,
            EndpointCount = cluster.Endpoints.Count,
        };
    }

    // The SNI as Kestrel's TLS middleware hands it to the stages (RouteSelectionStage and the security stage read it).
    private sealed class Handshake(string? sni) : ITlsHandshakeFeature
    {
        public string HostName => sni ?? "";
        public System.Security.Authentication.SslProtocols Protocol => System.Security.Authentication.SslProtocols.Tls13;
#pragma warning disable SYSLIB0058 // members of the interface, never read here
        public System.Security.Authentication.CipherAlgorithmType CipherAlgorithm => default;
        public int CipherStrength => 0;
        public System.Security.Authentication.HashAlgorithmType HashAlgorithm => default;
        public int HashStrength => 0;
        public System.Security.Authentication.ExchangeAlgorithmType KeyExchangeAlgorithm => default;
        public int KeyExchangeStrength => 0;
#pragma warning restore SYSLIB0058
    }
}

/// <summary>The kinds of <see cref="OutcomeStep"/>.</summary>
public static class OutcomeKinds
{
    public const string Forwarded = "forwarded";
    public const string LocalReply = "local_reply";
    public const string ConnectionRefused = "connection_refused";
}

/// <summary>The results of a <see cref="RouteStep"/>.</summary>
public static class RouteResults
{
    public const string Matched = "matched";
    public const string NoMatch = "no match";
    public const string NotTried = "not tried";
    public const string Shadowed = "shadowed";
}

/// <summary>The results of a <see cref="PolicyStep"/>.</summary>
public static class PolicyResults
{
    public const string Matched = "matched";
    public const string NoMatch = "no match";
    public const string NotEvaluated = "not evaluated";
}

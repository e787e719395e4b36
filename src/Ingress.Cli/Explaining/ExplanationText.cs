using System.Text;
using Ingress.LocalGateway.Runtime.Explain;

namespace Ingress.Cli.Explaining;

/// <summary>
/// <c>ingress explain</c>'s text: the seven steps of the issue in the user's terms (Gateway servers, hosts, rules of
/// the VirtualService, policies), each saying what was decided and, when nothing matched, why.
/// </summary>
internal static class ExplanationText
{
    /// <summary>The explanation as text, one numbered section per step reached.</summary>
    public static string ToText(RequestExplanation e)
    {
        var text = new StringBuilder();
        var r = e.Request;
        text.Append(r.Method).Append(' ').Append(r.Scheme).Append("://").Append(r.Authority).Append(r.Target)
            .Append(r.Headers.Count == 0 ? "" : "  (" + string.Join(", ", r.Headers.Select(h => h.Key + ": " + Mask(h.Key, h.Value))) + ")")
            .Append('\n');
        Listener(text, e.Listener, r.Scheme == "https");
        if (e.Normalization is { } n)
        {
            Section(text, 2, "Request after normalization (" + n.Mode + ")");
            Line(text, n.Normalized == n.Received ? n.Normalized + "  (unchanged)" : n.Received + "  ->  " + n.Normalized);
            if (n.Refusal is not null)
            {
                Line(text, "refused before routing: " + n.Refusal);
            }
        }

        if (e.VirtualHost is { } v)
        {
            Section(text, 3, "Virtual host");
            Line(text, $"route config {v.RouteTable}: hosts {(v.Domains.Count == 0 ? "(none)" : string.Join(", ", v.Domains))}");
            Line(text, v.Chosen is null
                ? $"Host {v.Authority} matches none of them: 404, no route (NR). Send a Host the Gateway server and VirtualService name, or add it to their hosts"
                : $"Host {v.Authority} -> {v.Chosen} ({HowMatched(v.Match)}{(v.Authority.Contains(':', StringComparison.Ordinal) && !v.Authority.StartsWith('[') ? ", the port in Host is ignored" : "")})");
            if (v.HttpsRedirect && r.Scheme == "http")
            {
                Line(text, "tls.httpsRedirect: every plain-HTTP request gets 301 to https, before any route");
            }
        }

        if (e.Routes.Count > 0)
        {
            Section(text, 4, "Routes, in the order they are tried");
            foreach (var route in e.Routes)
            {
                var name = route.Name.Length > 0 ? $" '{route.Name}'" : "";
                var conditions = route.Conditions.Count == 0 ? "(no route built: Istio builds none after a catch-all)" : string.Join(" and ", route.Conditions);
                Line(text, $"{route.Index + 1}.{name} {conditions}  ({route.Source})");
                Line(text, "   " + route.Result switch
                {
                    RouteResults.Matched => "matched",
                    RouteResults.NoMatch => $"no match: {route.FailedCondition} ≠ {route.Actual}",
                    RouteResults.Shadowed => $"never reached: shadowed by the catch-all rule {route.ShadowedBy}, which takes every request first (a catch-all goes last)",
                    _ => "not tried: an earlier route matched",
                });
            }

            if (e.Routes.All(x => x.Result == RouteResults.NoMatch))
            {
                Line(text, "no route matched: 404, no route (NR)");
            }
        }

        if (e.Action is { } a)
        {
            Action(text, a, e.Routes.FirstOrDefault(x => x.Result == RouteResults.Matched));
        }

        if (e.Security is { } s)
        {
            Security(text, s);
        }
        else if (e.Normalization is { Refusal: null })
        {
            Section(text, 6, "Security");
            Line(text, "no RequestAuthentication or AuthorizationPolicy applies to the gateway");
        }

        Outcome(text, e.Outcome);
        return text.ToString();
    }

    private static void Listener(StringBuilder text, ListenerStep l, bool tls)
    {
        Section(text, 1, "Listener");
        if (l.Protocol is null)
        {
            Line(text, l.Refusal!);
            return;
        }

        Line(text, $"port {l.Port}: {l.Protocol}, listening locally on {l.Address}");
        if (l.Protocol != "HTTPS")
        {
            if (l.Refusal is not null)
            {
                Line(text, l.Refusal);
            }

            return;
        }

        foreach (var server in l.Servers)
        {
            Line(text, $"server {server.Source}: hosts {string.Join(", ", server.Hosts)}, TLS {server.Mode}, certificate from {server.Credential}");
        }

        if (!tls)
        {
            Line(text, l.Refusal!);
            return;
        }

        var sni = l.Sni is null ? "no SNI" : "SNI " + l.Sni;
        if (l.Server is null)
        {
            Line(text, $"{sni} matches no server's hosts");
        }
        else
        {
            Line(text, $"{sni} -> server {l.Server.Source} (host {l.MatchedHost}{(l.MatchedHost == "*" ? ": any name" : l.MatchedHost!.StartsWith('*') ? ": wildcard" : "")})");
            if (l.Server.CredentialFailure is null)
            {
                Line(text, $"presents the certificate of {l.Server.Credential}{(l.Server.Certificate is null ? "" : ": " + l.Server.Certificate)}");
            }
        }

        if (l.Refusal is not null)
        {
            Line(text, l.Refusal);
        }
    }

    private static void Action(StringBuilder text, ActionStep a, RouteStep? route)
    {
        Section(text, 5, "Actions" + (route is null ? "" : $" of route {route.Index + 1}"));
        switch (a.Kind)
        {
            case "redirect":
                Line(text, $"redirect {a.Status} to {a.RedirectLocation}");
                break;
            case "direct_response":
                Line(text, $"direct response {a.Status}");
                break;
            default:
                foreach (var d in a.Destinations)
                {
                    var endpoints = !d.Known ? "unknown host or subset: 503, no cluster (NC)"
                        : d.Endpoints.Count == 0 ? "no endpoint: 503, no healthy upstream (UH); give one with --endpoint " + d.Host + ":" + d.Port + "=http://127.0.0.1:<port>"
                        : string.Join(", ", d.Endpoints);
                    Line(text, $"destination {d.Host}:{d.Port}{(d.Subset is null ? "" : " subset " + d.Subset)} weight {d.Weight} ({d.Cluster}) -> {endpoints}");
                }

                if (a.ForwardedPath is not null)
                {
                    Line(text, a.PathRewritten ? $"path rewritten to {a.ForwardedPath}" : $"path kept: {a.ForwardedPath}");
                }

                if (a.ForwardedAuthority is not null)
                {
                    Line(text, a.AuthorityRewritten ? $"Host rewritten to {a.ForwardedAuthority}" : $"Host kept: {a.ForwardedAuthority}");
                }

                Line(text, "timeout " + (a.Timeout ?? "none") + "; retries " + (a.Retries ?? "none"));
                break;
        }

        foreach (var op in a.RequestHeaderOperations)
        {
            Line(text, "request header " + op);
        }

        foreach (var op in a.ResponseHeaderOperations)
        {
            Line(text, "response header " + op);
        }

        if (a.Fault is not null)
        {
            Line(text, "fault: " + a.Fault);
        }

        foreach (var mirror in a.Mirrors)
        {
            Line(text, "mirror to " + mirror);
        }

        if (a.Cors)
        {
            Line(text, "CORS policy: preflights from allowed origins are answered by the gateway");
        }
    }

    private static void Security(StringBuilder text, SecurityStep s)
    {
        Section(text, 6, "Security");
        Line(text, s.JwtVerdict switch
        {
            "none" => "RequestAuthentication: none applies",
            "no token" => $"RequestAuthentication ({string.Join(", ", s.JwtIssuers)}): no token, which passes authentication (only a policy can require one)",
            "verified" => $"RequestAuthentication ({string.Join(", ", s.JwtIssuers)}): token verified, principal {s.JwtDetail}",
            _ => $"RequestAuthentication ({string.Join(", ", s.JwtIssuers)}): token refused: {s.JwtDetail}",
        });
        if (s.Decision is null)
        {
            Line(text, s.JwtVerdict == "refused" ? "AuthorizationPolicy: not evaluated (authentication refused the request)" : "AuthorizationPolicy: none applies");
            return;
        }

        Line(text, "AuthorizationPolicy, in Istio's order (CUSTOM, DENY, ALLOW):");
        if (s.Policies.Count == 0)
        {
            Line(text, "  (no DENY or ALLOW policy)");
        }

        foreach (var p in s.Policies)
        {
            Line(text, $"  {p.Action} {p.Policy}: {(p.Rule is null ? p.Result : p.Result + " " + p.Rule)}");
        }

        Line(text, $"{s.Decision}: {s.Reason}");
        foreach (var dry in s.DryRun)
        {
            Line(text, "dry run: " + dry);
        }
    }

    private static void Outcome(StringBuilder text, OutcomeStep o)
    {
        Section(text, 7, "Outcome");
        switch (o.Kind)
        {
            case OutcomeKinds.ConnectionRefused:
                Line(text, "connection refused: " + o.Refusal);
                break;
            case OutcomeKinds.LocalReply:
                Line(text, $"local reply {o.Status}{(o.ResponseFlags is null ? "" : " " + o.ResponseFlags)} ({o.Details}), not forwarded");
                if (o.Location is not null)
                {
                    Line(text, "location: " + o.Location);
                }

                Line(text, o.Body is { Length: > 0 } body ? "body: " + body : "body: (empty)");
                break;
            default:
                var f = o.Forwarded!;
                Line(text, $"forwarded to {f.Endpoint} ({f.Cluster}{(f.EndpointCount > 1 ? $", one of {f.EndpointCount} endpoints by the load balancer" : "")}), as:");
                Line(text, $"  {f.Method} {f.PathAndQuery}");
                Line(text, $"  host: {f.Host}");
                foreach (var (name, value) in f.Headers)
                {
                    Line(text, $"  {name}: {Mask(name, value)}{(f.Added.Contains(name) ? "   (set by the gateway)" : "")}");
                }

                foreach (var name in f.Removed)
                {
                    Line(text, $"  ({name} removed by the gateway)");
                }

                break;
        }
    }

    private static string HowMatched(string match) => match switch
    {
        "exact" => "exact host",
        "wildcard" => "wildcard host",
        "any" => "the * host, any name",
        _ => match,
    };

    /// <summary>A header's value for printing: a token or cookie is never echoed, only its length.</summary>
    internal static string Mask(string name, string value) =>
        name.Equals("authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("cookie", StringComparison.OrdinalIgnoreCase)
            ? $"({value.Length} characters, not shown)"
            : value;

    private static void Section(StringBuilder text, int number, string title) =>
        text.Append('\n').Append(number).Append(". ").Append(title).Append('\n');

    private static void Line(StringBuilder text, string line) => text.Append("   ").Append(line).Append('\n');
}

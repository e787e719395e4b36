using System.Text.Json;
using System.Text.Json.Nodes;
using Ingress.LocalGateway.Runtime.Explain;

namespace Ingress.Cli.Explaining;

/// <summary>
/// <c>ingress explain -o json</c>: the explanation as one document (field names in docs/cli.md), built as a
/// <see cref="JsonObject"/> tree so the native build needs no reflection. A step not reached is <c>null</c>.
/// </summary>
internal static class ExplanationJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The explanation as indented JSON.</summary>
    public static string ToJson(RequestExplanation e) => Build(e).ToJsonString(Indented);

    /// <summary>The explanation as a JSON tree.</summary>
    public static JsonObject Build(RequestExplanation e) => new()
    {
        ["request"] = new JsonObject
        {
            ["method"] = e.Request.Method,
            ["scheme"] = e.Request.Scheme,
            ["port"] = e.Request.Port,
            ["authority"] = e.Request.Authority,
            ["target"] = e.Request.Target,
            ["sni"] = e.Request.Sni,
            ["clientCertificate"] = e.Request.ClientCertificate?.Subject,
            ["sourceIp"] = e.Request.SourceIp.ToString(),
        },
        ["listener"] = Listener(e.Listener),
        ["normalization"] = e.Normalization is not { } n ? null : new JsonObject
        {
            ["mode"] = n.Mode,
            ["received"] = n.Received,
            ["normalized"] = n.Normalized,
            ["refusal"] = n.Refusal,
        },
        ["virtualHost"] = e.VirtualHost is not { } v ? null : new JsonObject
        {
            ["routeTable"] = v.RouteTable,
            ["authority"] = v.Authority,
            ["domains"] = Strings(v.Domains),
            ["chosen"] = v.Chosen,
            ["match"] = v.Match,
            ["httpsRedirect"] = v.HttpsRedirect,
        },
        ["routes"] = new JsonArray(e.Routes.Select(r => (JsonNode)new JsonObject
        {
            ["index"] = r.Index,
            ["name"] = r.Name,
            ["source"] = r.Source,
            ["conditions"] = Strings(r.Conditions),
            ["result"] = r.Result,
            ["failedCondition"] = r.FailedCondition,
            ["actual"] = r.Actual,
            ["shadowedBy"] = r.ShadowedBy,
        }).ToArray()),
        ["action"] = e.Action is not { } a ? null : new JsonObject
        {
            ["kind"] = a.Kind,
            ["status"] = a.Status,
            ["redirectLocation"] = a.RedirectLocation,
            ["destinations"] = new JsonArray(a.Destinations.Select(d => (JsonNode)new JsonObject
            {
                ["cluster"] = d.Cluster,
                ["host"] = d.Host,
                ["port"] = d.Port,
                ["subset"] = d.Subset,
                ["weight"] = d.Weight,
                ["known"] = d.Known,
                ["endpoints"] = Strings(d.Endpoints),
            }).ToArray()),
            ["forwardedPath"] = a.ForwardedPath,
            ["pathRewritten"] = a.PathRewritten,
            ["forwardedAuthority"] = a.ForwardedAuthority,
            ["authorityRewritten"] = a.AuthorityRewritten,
            ["requestHeaderOperations"] = Strings(a.RequestHeaderOperations),
            ["responseHeaderOperations"] = Strings(a.ResponseHeaderOperations),
            ["timeout"] = a.Timeout,
            ["retries"] = a.Retries,
            ["fault"] = a.Fault,
            ["mirrors"] = Strings(a.Mirrors),
            ["cors"] = a.Cors,
        },
        ["security"] = e.Security is not { } s ? null : new JsonObject
        {
            ["jwtIssuers"] = Strings(s.JwtIssuers),
            ["jwt"] = s.JwtVerdict,
            ["jwtDetail"] = s.JwtDetail,
            ["policies"] = new JsonArray(s.Policies.Select(p => (JsonNode)new JsonObject
            {
                ["action"] = p.Action,
                ["policy"] = p.Policy,
                ["result"] = p.Result,
                ["rule"] = p.Rule,
            }).ToArray()),
            ["decision"] = s.Decision,
            ["reason"] = s.Reason,
            ["dryRun"] = Strings(s.DryRun),
        },
        ["outcome"] = Outcome(e.Outcome),
    };

    private static JsonObject Listener(ListenerStep l) => new()
    {
        ["port"] = l.Port,
        ["protocol"] = l.Protocol,
        ["address"] = l.Address,
        ["ports"] = new JsonArray(l.Ports.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
        ["sni"] = l.Sni,
        ["servers"] = new JsonArray(l.Servers.Select(s => (JsonNode)Server(s)).ToArray()),
        ["server"] = l.Server is null ? null : Server(l.Server),
        ["matchedHost"] = l.MatchedHost,
        ["refusal"] = l.Refusal,
    };

    private static JsonObject Server(TlsServerInfo s) => new()
    {
        ["source"] = s.Source,
        ["hosts"] = Strings(s.Hosts),
        ["mode"] = s.Mode,
        ["credential"] = s.Credential,
        ["certificate"] = s.Certificate,
        ["credentialFailure"] = s.CredentialFailure,
    };

    private static JsonObject Outcome(OutcomeStep o) => new()
    {
        ["kind"] = o.Kind,
        ["status"] = o.Status,
        ["body"] = o.Body,
        ["location"] = o.Location,
        ["responseFlags"] = o.ResponseFlags,
        ["details"] = o.Details,
        ["refusal"] = o.Refusal,
        ["forwarded"] = o.Forwarded is not { } f ? null : new JsonObject
        {
            ["method"] = f.Method,
            ["path"] = f.PathAndQuery,
            ["host"] = f.Host,
            ["headers"] = new JsonObject(f.Headers
                .GroupBy(h => h.Key, StringComparer.Ordinal)
                .Select(g => new KeyValuePair<string, JsonNode?>(g.Key, string.Join(", ", g.Select(h => ExplanationText.Mask(h.Key, h.Value)))))),
            ["added"] = Strings(f.Added),
            ["removed"] = Strings(f.Removed),
            ["cluster"] = f.Cluster,
            ["endpoint"] = f.Endpoint,
            ["endpointCount"] = f.EndpointCount,
        },
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ingress.Config.GatewayApi;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Tracing;

namespace Ingress.LocalGateway.Hosting.Admin;

/// <summary>
/// The loaded configuration as data: listeners, their servers and route tables (virtual hosts, routes in order),
/// clusters with endpoints, and the gateway's findings. Served at <c>/config_dump</c> and printed by <c>ingress routes</c>.
/// </summary>
public static class ConfigDump
{
    // Escapes only what JSON requires (not quotes as \u0022 nor non-ASCII): the dump is read by people and parsers,
    // never embedded in HTML.
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The dump as a JSON tree (built node by node: no reflection, so it works in the native build).</summary>
    public static JsonObject Build(GatewaySnapshot snapshot) => new()
    {
        ["version"] = snapshot.Version,
        ["loadedAt"] = snapshot.LoadedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["listeners"] = Array(snapshot.Listeners.Values.OrderBy(l => l.Port), l => new JsonObject
        {
            ["port"] = l.Port,
            ["address"] = l.Address.ToString(),
            ["protocol"] = l.Protocol.ToString().ToUpperInvariant(),
            ["routeConfig"] = l.HttpRoutes is null ? null : Table(l.HttpRoutes),
            ["servers"] = Array(l.TlsServers, s => new JsonObject
            {
                ["hosts"] = Array(s.Hosts, h => JsonValue.Create(h)),
                ["source"] = s.Source,
                ["tls"] = new JsonObject
                {
                    ["mode"] = s.Tls.Mode,
                    ["credential"] = s.Tls.CredentialSource,
                    ["certificate"] = s.Tls.CertificateSummary,
                    ["failure"] = s.Tls.Failure,
                },
                ["routeConfig"] = Table(s.Routes),
            }),
        }),
        ["clusters"] = Array(snapshot.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal), c => new JsonObject
        {
            ["name"] = c.Name,
            ["host"] = c.Host,
            ["port"] = c.Port,
            ["subset"] = c.Subset,
            ["endpoints"] = Array(c.Endpoints, e => new JsonObject
            {
                ["address"] = e.Prefix,
                ["labels"] = new JsonObject(e.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
            }),
        }),
        ["security"] = new JsonObject
        {
            ["jwtProviders"] = Array(snapshot.Security.JwtProviders, p => new JsonObject
            {
                ["name"] = p.Name,
                ["issuer"] = p.Issuer,
                ["audiences"] = Array(p.Audiences, a => JsonValue.Create(a)),
                ["keys"] = p.Keys.ToString(),
                ["fromHeaders"] = Array(p.EffectiveHeaders, h => JsonValue.Create(h.Name + (h.Prefix.Length > 0 ? " " + h.Prefix.Trim() : ""))),
                ["fromParams"] = Array(p.EffectiveParams, q => JsonValue.Create(q)),
                ["forwardOriginalToken"] = p.Forward,
            }),
            ["authorizationPolicies"] = Array(snapshot.Security.Authorization.Policies, p => new JsonObject
            {
                ["policy"] = p.Namespace + "/" + p.Name,
                ["action"] = p.Action,
                ["dryRun"] = p.DryRun,
                ["rules"] = Array(p.Rules, r => JsonValue.Create(r.Name)),
            }),
        },
        ["pathNormalization"] = PathNormalizationName(snapshot.PathNormalization),
        ["samplingPercentage"] = snapshot.SamplingPercentage,
        ["tracing"] = JsonSerializer.SerializeToNode(snapshot.Tracing, ConfigDumpJson.Default.TracingPolicy),
        ["diagnostics"] = Array(snapshot.Diagnostics, d => JsonValue.Create(d.ToString())),
        ["gatewayApi"] = GatewayApiStatusReport.ToJson(snapshot.GatewayApi),
    };

    /// <summary>The dump as indented JSON.</summary>
    public static string ToJson(GatewaySnapshot snapshot) => Build(snapshot).ToJsonString(Indented);

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> node) => new(items.Select(node).ToArray());

    private static JsonObject Table(RouteTable table) => new()
    {
        ["name"] = table.Name,
        ["virtualHosts"] = Array(table.VirtualHosts, v => new JsonObject
        {
            ["domain"] = v.Domain,
            ["requireTls"] = v.RequireTls,
            ["routes"] = Array(v.Routes, Route),
        }),
    };

    private static JsonObject Route(RouteEntry route) => new()
    {
        ["name"] = route.Name,
        ["match"] = Describe(route.Match),
        ["action"] = DescribeAction(route),
        ["operation"] = route.Operation,
        ["source"] = route.Source,
        ["timeout"] = route.Policies.Timeout?.ToString(),
    };

    /// <summary>A route's match in one line (<c>prefix:/api headers[x-user=exact:a]</c>).</summary>
    public static string Describe(RequestMatcher match)
    {
        var text = new StringBuilder(match.Path.ToString());
        if (match.Path.IgnoreCase)
        {
            text.Append(" (ignoreUriCase)");
        }

        foreach (var h in match.Headers)
        {
            text.Append(h.Invert ? " withoutHeader[" : " header[").Append(h.Name).Append('=').Append(h.Matcher).Append(']');
        }

        foreach (var q in match.QueryParams)
        {
            text.Append(" query[").Append(q.Name).Append('=').Append(q.Matcher).Append(']');
        }

        if (match.Method is not null)
        {
            text.Append(" method=").Append(match.Method);
        }

        if (match.Authority is not null)
        {
            text.Append(" authority=").Append(match.Authority);
        }

        if (match.Scheme is not null)
        {
            text.Append(" scheme=").Append(match.Scheme);
        }

        return text.ToString();
    }

    /// <summary>A route's action in one line.</summary>
    public static string DescribeAction(RouteEntry route)
    {
        var text = new StringBuilder();
        switch (route.Action)
        {
            case ForwardAction forward:
                text.Append("route ");
                text.Append(string.Join(", ", forward.Destinations.Select(d =>
                    (d.Cluster is null ? $"{d.ClusterName} (not found: {forward.ClusterNotFoundStatus} NC)" : d.ClusterName) +
                    (forward.Destinations.Count > 1 ? $" weight {d.Weight}" : ""))));
                break;
            case RedirectAction redirect:
                text.Append("redirect ").Append(redirect.StatusCode);
                if (redirect.Scheme is not null)
                {
                    text.Append(" scheme=").Append(redirect.Scheme);
                }

                if (redirect.Authority is not null)
                {
                    text.Append(" authority=").Append(redirect.Authority);
                }

                if (redirect.Port != 0)
                {
                    text.Append(" port=").Append(redirect.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                if (redirect.Path is not null)
                {
                    text.Append(" uri=").Append(redirect.Path);
                }

                if (redirect.PrefixRewrite is not null)
                {
                    text.Append(" path ").Append(redirect.PrefixRewrite);
                }

                break;
            case DirectResponseAction direct:
                text.Append("directResponse ").Append(direct.StatusCode).Append(" (").Append(direct.Body.Length).Append(" bytes)");
                break;
        }

        if (route.Rewrite is not null)
        {
            text.Append(" rewrite ").Append(route.Rewrite);
        }

        if (route.Authority is not null)
        {
            text.Append(" authority=").Append(route.Authority);
        }

        return text.ToString();
    }

    /// <summary>The route tables as text, one line per route, in the order they are tried.</summary>
    public static string ToText(GatewaySnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var listener in snapshot.Listeners.Values.OrderBy(l => l.Port))
        {
            text.Append("listener ").Append(listener.Port).Append(' ').Append(listener.Protocol.ToString().ToUpperInvariant())
                .Append(" on ").Append(listener.Address).Append('\n');
            if (listener.HttpRoutes is not null)
            {
                AppendTable(text, listener.HttpRoutes, "  ");
            }

            foreach (var server in listener.TlsServers)
            {
                text.Append("  server ").Append(string.Join(',', server.Hosts)).Append(" tls ").Append(server.Tls.Mode)
                    .Append(" credential ").Append(server.Tls.CredentialSource)
                    .Append(server.Tls.Failure is null ? "" : " (handshakes fail: " + server.Tls.Failure + ")").Append('\n');
                AppendTable(text, server.Routes, "    ");
            }
        }

        foreach (var cluster in snapshot.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            text.Append("cluster ").Append(cluster.Name).Append(" -> ")
                .Append(cluster.Endpoints.Count == 0 ? "(no endpoints: 503 UH)" : string.Join(", ", cluster.Endpoints.Select(e => e.Prefix)))
                .Append('\n');
        }

        text.Append("paths normalized ").Append(PathNormalizationName(snapshot.PathNormalization)).Append('\n');
        foreach (var provider in snapshot.Security.JwtProviders)
        {
            text.Append("jwt ").Append(provider.Name).Append(" issuer ").Append(provider.Issuer.Length == 0 ? "(any)" : provider.Issuer)
                .Append(" keys ").Append(provider.Keys)
                .Append(provider.Audiences.Count == 0 ? "" : " audiences " + string.Join(',', provider.Audiences)).Append('\n');
        }

        // Istio's order of evaluation: CUSTOM, then DENY, then ALLOW (AUDIT only logs).
        foreach (var policy in snapshot.Security.Authorization.Policies.OrderBy(p => ActionOrder(p.Action)))
        {
            text.Append("authz ").Append(policy.Action).Append(' ').Append(policy.Namespace).Append('/').Append(policy.Name)
                .Append(policy.DryRun ? " (dry run)" : "").Append(": ").Append(policy.Rules.Count).Append(" rule(s)\n");
        }

        // The Gateway API objects' status, as a controller would write it.
        text.Append(GatewayApiStatusReport.ToText(snapshot.GatewayApi));
        foreach (var diagnostic in snapshot.Diagnostics)
        {
            text.Append(diagnostic).Append('\n');
        }

        return text.ToString();
    }

    private static int ActionOrder(string action) => action switch
    {
        "CUSTOM" => 0,
        "DENY" => 1,
        "ALLOW" => 2,
        _ => 3,
    };

    /// <summary>MeshConfig's spelling of a path normalization.</summary>
    public static string PathNormalizationName(PathNormalization mode) => mode.MeshConfigName();

    private static void AppendTable(StringBuilder text, RouteTable table, string indent)
    {
        text.Append(indent).Append("route config ").Append(table.Name).Append('\n');
        if (table.VirtualHosts.Count == 0)
        {
            text.Append(indent).Append("  (no virtual hosts: every request gets 404 NR)\n");
        }

        foreach (var vhost in table.VirtualHosts)
        {
            text.Append(indent).Append("  host ").Append(vhost.Domain)
                .Append(vhost.RequireTls ? " (httpsRedirect: 301 to https)" : "").Append('\n');
            var i = 0;
            foreach (var route in vhost.Routes)
            {
                text.Append(indent).Append("    ").Append(++i).Append(". ").Append(Describe(route.Match)).Append(" => ")
                    .Append(DescribeAction(route));
                if (route.Name.Length > 0)
                {
                    text.Append(" [").Append(route.Name).Append(']');
                }

                text.Append("  (").Append(route.Source).Append(")\n");
            }
        }
    }
}

/// <summary>The dump's typed parts, serialized by generated code (camelCase, as the rest of the dump).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TracingPolicy))]
internal sealed partial class ConfigDumpJson : JsonSerializerContext;

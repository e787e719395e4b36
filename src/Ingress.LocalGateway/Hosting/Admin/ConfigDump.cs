using System.Text;
using System.Text.Json;
using Ingress.Config.GatewayApi;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot;

namespace Ingress.LocalGateway.Hosting.Admin;

/// <summary>
/// The loaded configuration as data: listeners, their servers and route tables (virtual hosts, routes in order),
/// clusters with endpoints, and the gateway's findings. Served at <c>/config_dump</c> and printed by <c>ingress routes</c>.
/// </summary>
public static class ConfigDump
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The dump as an object tree.</summary>
    public static object Build(GatewaySnapshot snapshot) => new
    {
        snapshot.Version,
        LoadedAt = snapshot.LoadedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        Listeners = snapshot.Listeners.Values.OrderBy(l => l.Port).Select(l => new
        {
            l.Port,
            Address = l.Address.ToString(),
            Protocol = l.Protocol.ToString().ToUpperInvariant(),
            RouteConfig = l.HttpRoutes is null ? null : Table(l.HttpRoutes),
            Servers = l.TlsServers.Select(s => new
            {
                s.Hosts,
                s.Source,
                Tls = new { s.Tls.Mode, Credential = s.Tls.CredentialSource, Certificate = s.Tls.CertificateSummary, s.Tls.Failure },
                RouteConfig = Table(s.Routes),
            }),
        }),
        Clusters = snapshot.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new
        {
            c.Name,
            c.Host,
            c.Port,
            c.Subset,
            Endpoints = c.Endpoints.Select(e => new { Address = e.Prefix, e.Labels }),
        }),
        SamplingPercentage = snapshot.SamplingPercentage,
        Tracing = snapshot.Tracing,
        Diagnostics = snapshot.Diagnostics.Select(d => d.ToString()),
        GatewayApi = GatewayApiStatusReport.ToData(snapshot.GatewayApi),
    };

    /// <summary>The dump as indented JSON.</summary>
    public static string ToJson(GatewaySnapshot snapshot) => JsonSerializer.Serialize(Build(snapshot), Options);

    private static object Table(RouteTable table) => new
    {
        table.Name,
        VirtualHosts = table.VirtualHosts.Select(v => new
        {
            v.Domain,
            v.RequireTls,
            Routes = v.Routes.Select(Route),
        }),
    };

    private static object Route(RouteEntry route) => new
    {
        route.Name,
        Match = Describe(route.Match),
        Action = DescribeAction(route),
        route.Operation,
        route.Source,
        Timeout = route.Policies.Timeout?.ToString(),
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

                if (redirect.ReplacesPort)
                {
                    text.Append(" port=").Append(redirect.Port == 0 ? "default" : redirect.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

        // The Gateway API objects' status, as a controller would write it.
        text.Append(GatewayApiStatusReport.ToText(snapshot.GatewayApi));
        foreach (var diagnostic in snapshot.Diagnostics)
        {
            text.Append(diagnostic).Append('\n');
        }

        return text.ToString();
    }

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

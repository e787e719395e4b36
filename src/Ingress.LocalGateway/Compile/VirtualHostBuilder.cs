using Ingress.Config.Istio;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Routing;
using HostNames = Ingress.Config.Istio.HostNames;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Binds VirtualServices to a route table's servers and builds one virtual host per (server host ∩ VS host), as
/// Istio's gateway route configuration: gateway references, exportTo against the gateway's namespace, server host
/// namespace prefixes, several VirtualServices per host concatenated oldest first, catch-all routes last.
/// </summary>
public sealed class VirtualHostBuilder
{
    private readonly IReadOnlyList<VirtualService> _virtualServices;
    private readonly RouteTranslator _translator;
    private readonly string _gatewayNamespace;

    public VirtualHostBuilder(IReadOnlyList<VirtualService> sortedVirtualServices, RouteTranslator translator, string gatewayNamespace)
    {
        _virtualServices = sortedVirtualServices;
        _translator = translator;
        _gatewayNamespace = gatewayNamespace;
    }

    /// <summary>The virtual hosts of the given servers on a port.</summary>
    public IReadOnlyList<VirtualHost> Build(IReadOnlyList<BoundServer> servers, int port, bool httpsRedirect)
    {
        var order = new List<string>();
        var routes = new Dictionary<string, List<RouteEntry>>(StringComparer.OrdinalIgnoreCase);
        var shadowed = new Dictionary<string, List<UnreachableRule>>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<(string Domain, VirtualService Vs)>();
        foreach (var vs in _virtualServices)
        {
            if (!IsExportedToGateway(vs))
            {
                continue;
            }

            foreach (var bound in servers)
            {
                if (!References(vs, bound.GatewayKey))
                {
                    continue;
                }

                IReadOnlyList<RouteEntry>? translated = null;
                var unreachable = new List<UnreachableRule>();
                foreach (var serverHost in bound.Server.Hosts)
                {
                    var (hostNamespace, host) = HostNames.SplitServerHost(serverHost, bound.Gateway.Metadata.Namespace);
                    if (hostNamespace is not null && hostNamespace != vs.Metadata.Namespace)
                    {
                        continue;
                    }

                    foreach (var vsHost in vs.Spec.Hosts)
                    {
                        // Istio intersects the names as written and lower-cases the virtual host's domain.
                        var domain = HostNames.Intersection(HostNames.ResolveShortName(vsHost, vs.Metadata.Namespace), host)
                            ?.ToLowerInvariant();
                        if (domain is null || !seen.Add((domain, vs)))
                        {
                            continue;
                        }

                        translated ??= _translator.Translate(vs, bound.GatewayKey, port, serverHasTls: bound.Server.Tls is not null, unreachable: unreachable);
                        if (!routes.TryGetValue(domain, out var list))
                        {
                            list = [];
                            routes[domain] = list;
                            order.Add(domain);
                        }

                        list.AddRange(translated);
                        if (!shadowed.TryGetValue(domain, out var dropped))
                        {
                            dropped = [];
                            shadowed[domain] = dropped;
                        }

                        dropped.AddRange(unreachable);
                    }
                }
            }
        }

        var redirectHosts = new List<string>();
        if (httpsRedirect)
        {
            foreach (var bound in servers.Where(s => s.Server.Tls?.HttpsRedirect == true))
            {
                foreach (var serverHost in bound.Server.Hosts)
                {
                    var host = HostNames.SplitServerHost(serverHost, bound.Gateway.Metadata.Namespace).Host.ToLowerInvariant();
                    redirectHosts.Add(host);
                    if (!routes.ContainsKey(host))
                    {
                        routes[host] = [];
                        order.Add(host);
                    }
                }
            }
        }

        return order.Select(domain => new VirtualHost
        {
            Domain = domain,
            Routes = SortCatchAllLast(routes[domain]),
            Unreachable = shadowed.TryGetValue(domain, out var dropped) ? dropped : [],
            RequireTls = redirectHosts.Any(h => HostNames.SubsetOf(domain, h)),
        }).ToList();
    }

    private static IReadOnlyList<RouteEntry> SortCatchAllLast(List<RouteEntry> routes) =>
        [.. routes.Where(r => !r.Match.IsCatchAll), .. routes.Where(r => r.Match.IsCatchAll)];

    private bool IsExportedToGateway(VirtualService vs) => ExportTo.IsVisible(vs.Metadata.Namespace, vs.Spec.ExportTo, _gatewayNamespace);

    private static bool References(VirtualService vs, string gatewayKey)
    {
        var ns = vs.Metadata.Namespace;
        return vs.Spec.Gateways.Any(g => GatewayReferences.Key(g, ns) == gatewayKey)
               || vs.Spec.Http.Any(r => r.Match.Any(m => m.Gateways.Any(g => GatewayReferences.Key(g, ns) == gatewayKey)));
    }
}

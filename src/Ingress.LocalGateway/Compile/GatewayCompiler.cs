using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Compiles a ConfigSet into a <see cref="GatewaySnapshot"/> as Istio builds an ingress gateway's Envoy config: the
/// Gateways this gateway selects, their servers as listeners (HTTP servers on a port merged, HTTPS servers each with
/// their own TLS setup and route table), the VirtualServices bound to them as virtual hosts, the clusters, and the
/// RequestAuthentications and AuthorizationPolicies that select the gateway workload.
/// </summary>
public sealed class GatewayCompiler
{
    private static readonly HashSet<string> PlainHttp = new(StringComparer.OrdinalIgnoreCase) { "HTTP", "HTTP2", "GRPC", "GRPC-WEB" };

    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;

    public GatewayCompiler(GatewayOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Compiles the config; the snapshot's diagnostics say what was left out and why.</summary>
    public GatewaySnapshot Compile(ConfigSet config, long version = 1, IReadOnlyList<EndpointDefinition>? endpoints = null)
    {
        var diagnostics = new CompileDiagnostics(_options.AllowUnsupported);
        var clusters = new ClusterResolver(config, endpoints ?? _options.Endpoints, _options.Namespace, diagnostics,
            hasMeshIdentity: _options.MeshCaDirectory is not null);
        var translator = new RouteTranslator(clusters, diagnostics, _options.Labels, _options.Namespace);
        var virtualServices = SortByCreation(config.VirtualServices).ToList();
        ReportUnsupportedVirtualServiceParts(virtualServices, diagnostics);
        DestinationRuleSupport.Report(config, diagnostics);

        var plain = new Dictionary<int, List<BoundServer>>();
        var secure = new Dictionary<int, List<BoundServer>>();
        foreach (var gateway in SortByCreation(config.Gateways).Where(Selects))
        {
            for (var i = 0; i < gateway.Spec.Servers.Count; i++)
            {
                var server = gateway.Spec.Servers[i];
                var path = $"spec.servers[{i}]";
                if (server.Port?.Number is not { } port)
                {
                    continue;
                }

                var protocol = (server.Port.Protocol ?? "").ToUpperInvariant();
                if (!string.IsNullOrEmpty(server.Bind))
                {
                    diagnostics.Unsupported(gateway, path + ".bind", "bind (the port listens where --listen says)");
                }

                var bound = new BoundServer(gateway, server, i);
                if (PlainHttp.Contains(protocol))
                {
                    if (secure.ContainsKey(port))
                    {
                        diagnostics.Add(GatewayCodes.PortProtocolConflict, Severity.Warning, gateway, path + ".port",
                            $"port {port} already serves HTTPS from another server; Istio keeps the first protocol on a port, so this server is left out");
                        continue;
                    }

                    plain.TryAdd(port, []);
                    plain[port].Add(bound);
                }
                else if (protocol == "HTTPS")
                {
                    if (plain.ContainsKey(port))
                    {
                        diagnostics.Add(GatewayCodes.PortProtocolConflict, Severity.Warning, gateway, path + ".port",
                            $"port {port} already serves plain HTTP from another server; Istio keeps the first protocol on a port, so this server is left out");
                        continue;
                    }

                    var mode = (server.Tls?.Mode ?? "PASSTHROUGH").ToUpperInvariant();
                    if (mode is not ("SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL"))
                    {
                        var what = server.Tls?.Mode is null
                            ? "tls.mode not set (Istio reads it as PASSTHROUGH; write mode: SIMPLE to terminate TLS), i.e. PASSTHROUGH"
                            : $"tls.mode {mode}";
                        diagnostics.Unsupported(gateway, path + ".tls.mode", what);
                        continue;
                    }

                    secure.TryAdd(port, []);
                    var duplicate = secure[port].SelectMany(s => s.Server.Hosts.Select(StripNamespace))
                        .Intersect(server.Hosts.Select(StripNamespace), StringComparer.OrdinalIgnoreCase).FirstOrDefault();
                    if (duplicate is not null)
                    {
                        diagnostics.Add(GatewayCodes.DuplicateHttpsHost, Severity.Warning, gateway, path + ".hosts",
                            $"host {duplicate} is already served by another HTTPS server on port {port}; Istio skips the later server, so this one is left out");
                        continue;
                    }

                    secure[port].Add(bound);
                }
                else
                {
                    diagnostics.Unsupported(gateway, path + ".port.protocol", $"protocol {protocol} (only HTTP, HTTP2, GRPC and HTTPS are served)");
                }
            }
        }

        var listeners = new Dictionary<int, ListenerConfig>();
        var vhostBuilder = new VirtualHostBuilder(virtualServices, translator, _options.Namespace);
        foreach (var (port, servers) in plain)
        {
            listeners[port] = new ListenerConfig
            {
                Port = port,
                Address = _options.ListenAddressFor(port),
                Protocol = ListenerProtocol.Http,
                HttpRoutes = new RouteTable($"http.{port}", vhostBuilder.Build(servers, port, httpsRedirect: true)),
            };
        }

        foreach (var (port, servers) in secure)
        {
            var tlsServers = new List<TlsServer>();
            foreach (var bound in servers)
            {
                var gw = bound.Gateway;
                var fieldPath = $"spec.servers[{bound.Index}].tls";
                tlsServers.Add(new TlsServer
                {
                    Hosts = bound.Server.Hosts.Select(StripNamespace).ToArray(),
                    Tls = ServerTlsContextBuilder.Build(gw, fieldPath, bound.Server.Tls!, config, _options.Namespace, diagnostics, _time),
                    Routes = new RouteTable(
                        $"https.{port}.{bound.Server.Port?.Name}.{gw.Metadata.Name}.{gw.Metadata.Namespace}",
                        vhostBuilder.Build([bound], port, httpsRedirect: false)),
                    Source = $"{gw.Metadata.Namespace}/{gw.Metadata.Name} spec.servers[{bound.Index}]",
                });
            }

            listeners[port] = new ListenerConfig
            {
                Port = port,
                Address = _options.ListenAddressFor(port),
                Protocol = ListenerProtocol.Https,
                TlsServers = tlsServers,
            };
        }

        var tracing = TelemetryTracingCompiler.Compile(config, _options, diagnostics);
        var security = WorkloadSecurityCompiler.Compile(config, new WorkloadIdentity(_options.Namespace, _options.Labels));
        return new GatewaySnapshot
        {
            Listeners = listeners,
            ClusterList = clusters.ClusterList,
            Security = security,
            PathNormalization = _options.PathNormalization,
            Diagnostics = Deduplicate([.. diagnostics.Items, .. security.Diagnostics]),
            Version = version,
            LoadedAt = _time.GetUtcNow(),
            Tracing = tracing,
            SamplingPercentage = tracing.SamplingPercentage,
        };
    }

    private bool Selects(Gateway gateway) =>
        gateway.Spec.Selector.All(l => _options.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    private static string StripNamespace(string host)
    {
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        return (slash >= 0 ? host[(slash + 1)..] : host).ToLowerInvariant();
    }

    /// <summary>Istio's <c>sortConfigByCreationTime</c>: oldest first, then name, then namespace.</summary>
    internal static IEnumerable<T> SortByCreation<T>(IEnumerable<T> resources) where T : Resource =>
        resources
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Metadata.Namespace, StringComparer.Ordinal);

    private static void ReportUnsupportedVirtualServiceParts(IEnumerable<VirtualService> services, CompileDiagnostics diagnostics)
    {
        foreach (var vs in services)
        {
            if (vs.Spec.Tls.Count > 0)
            {
                diagnostics.Unsupported(vs, "spec.tls", "TLS passthrough routes (spec.tls)");
            }

            if (vs.Spec.Tcp.Count > 0)
            {
                diagnostics.Unsupported(vs, "spec.tcp", "TCP routes (spec.tcp)");
            }
        }
    }

    private static List<Diagnostic> Deduplicate(IReadOnlyList<Diagnostic> items)
    {
        var seen = new HashSet<(string, string?, string?, string)>();
        return items.Where(d => seen.Add((d.Code, d.Resource, d.FieldPath, d.Message))).ToList();
    }
}

/// <summary>A Gateway server with the Gateway it belongs to.</summary>
public sealed record BoundServer(Gateway Gateway, Server Server, int Index)
{
    /// <summary>The gateway's <c>ns/name</c> key, as VirtualService gateway references resolve.</summary>
    public string GatewayKey => $"{Gateway.Metadata.Namespace}/{Gateway.Metadata.Name}";
}

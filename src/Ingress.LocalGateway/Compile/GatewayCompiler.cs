using Ingress.Config.Analysis.Gateways;
using Ingress.Config.Diagnostics;
using Ingress.Config.GatewayApi;
using Ingress.Config.Istio;
using Ingress.Config.Model;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Upstreams;
using HostNames = Ingress.Config.Istio.HostNames;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Compiles a ConfigSet into a <see cref="GatewaySnapshot"/> as Istio builds an ingress gateway's Envoy config: the
/// Gateways this gateway selects, their servers as listeners (HTTP servers on a port merged, HTTPS servers each with
/// their own TLS setup and route table), the VirtualServices bound to them as virtual hosts, the Gateway API Gateways
/// of class istio with their routes (<see cref="GatewayApiCompiler"/>), the clusters, and the RequestAuthentications
/// and AuthorizationPolicies that select the gateway workload.
/// </summary>
public sealed class GatewayCompiler
{
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
        var virtualServices = CreationOrder.Sort(config.VirtualServices).ToList();
        ReportUnsupportedVirtualServiceParts(virtualServices, diagnostics);
        DestinationRuleSupport.Report(config, diagnostics);

        var plain = new Dictionary<int, List<BoundServer>>();
        var secure = new Dictionary<int, List<BoundServer>>();

        // The servers Istio keeps when it merges the Gateways of this workload, in its order; a dropped one is reported
        // as the analyzers report it (ING2006, ING2007).
        foreach (var decision in GatewayServerMerge.Merge(config.Gateways.Where(Selects)))
        {
            var (gateway, i, server) = decision.Server;
            var path = $"spec.servers[{i}]";
            var port = decision.Port;
            if (!decision.Kept)
            {
                if (ServerPortConflictAnalyzer.FindingFor(decision) is { } dropped)
                {
                    diagnostics.Add(dropped);
                }

                continue;
            }

            var protocol = decision.Server.Protocol;
            if (!string.IsNullOrEmpty(server.Bind))
            {
                diagnostics.Unsupported(gateway, path + ".bind", "bind (the port listens where --listen says)");
            }

            var bound = new BoundServer(gateway, server, i);
            if (GatewayServerMerge.IsHttpProtocol(protocol))
            {
                // Istio's merge keeps an HTTP server with tls.httpsRedirect after an HTTPS one; one local port
                // cannot serve both, so the first protocol stays.
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

                if ((server.Tls?.Mode ?? "PASSTHROUGH").ToUpperInvariant() is not ("SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL"))
                {
                    var what = server.Tls?.Mode is null
                        ? "tls.mode not set (Istio reads it as PASSTHROUGH; write mode: SIMPLE to terminate TLS), i.e. PASSTHROUGH"
                        : $"tls.mode {server.Tls.Mode.ToUpperInvariant()}";
                    diagnostics.Unsupported(gateway, path + ".tls.mode", what);
                    continue;
                }

                secure.TryAdd(port, []);
                secure[port].Add(bound);
            }
            else
            {
                diagnostics.Unsupported(gateway, path + ".port.protocol", $"protocol {protocol} (only HTTP, HTTP2, GRPC and HTTPS are served)");
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
                    Hosts = bound.Server.Hosts.Select(h => HostNames.SplitServerHost(h, gw.Metadata.Namespace).Host.ToLowerInvariant()).ToArray(),
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

        // The Gateway API Gateways of class istio, served besides the Istio Gateways the labels select.
        var gatewayApi = GatewayApiResolver.Resolve(config, new GatewayApiOptions { Now = _time.GetUtcNow() });
        new GatewayApiCompiler(config, clusters, diagnostics, _options, _time).AddListeners(gatewayApi, listeners);

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
            GatewayApi = gatewayApi,
        };
    }

    private bool Selects(Gateway gateway) =>
        gateway.Spec.Selector.All(l => _options.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

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

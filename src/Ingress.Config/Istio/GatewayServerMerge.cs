using Ingress.Config.Model;

namespace Ingress.Config.Istio;

/// <summary>
/// Which servers of the Gateways that select one gateway workload Istio keeps, and why it drops the others: its
/// <c>mergeGateways</c> (<c>pilot/pkg/model/gateway.go</c>), which builds one listener per port and bind from every
/// Gateway selecting the proxy. The analyzers (ING2006, ING2007) and the local gateway's compiler call this one rule,
/// so a dropped server gets the same code, severity and words everywhere.
/// <para>The Gateways are taken in Istio's order (<see cref="CreationOrder"/>) and their servers in order. For each
/// server with a port:</para>
/// <list type="number">
/// <item>Its hosts are written as Istio keeps them (<c>sanitizeServerHostNamespace</c>: <c>./h</c> becomes
/// <c>ns/h</c>, <c>*/h</c> becomes <c>h</c>, and <c>*/*</c> makes the whole list <c>*</c>).</item>
/// <item>A server with TLS settings (HTTPS and TLS servers, and an HTTP server with <c>tls.httpsRedirect</c>) is
/// dropped when one of its hosts, written the same way, was already declared with TLS settings on that port with the
/// same <c>bind</c> (<c>CheckDuplicates</c>; the filter chains would otherwise collide). Otherwise its hosts are
/// recorded, even if a later step drops the server.</item>
/// <item>On a port whose first server is not a TLS server, a later one with the same bind is kept only when both are
/// HTTP-family protocols (HTTP, HTTP2, GRPC, GRPC-WEB, HTTP_PROXY; Istio's <c>canMergeProtocols</c>); a TCP server after
/// a TCP server, or HTTPS after HTTP, is dropped. A different bind is another listener and is kept.</item>
/// <item>On a port whose first server is a TLS server, a later terminated-HTTPS server is dropped when its route name
/// (<c>https.PORT.PORTNAME.GATEWAY.NAMESPACE</c>) is taken, and a server without TLS settings on the same bind is
/// dropped. (Istio records the first TLS server's bind only when a second server arrives, so it would let the first
/// server without TLS settings through; Envoy cannot serve plain text and TLS as one listener without a TLS inspector
/// match, and Istio's own simulation cases show the later protocol dropped, so it is dropped here.)</item>
/// </list>
/// The port is the Gateway's port number: Istio first translates it through the gateway Service's targetPort, which
/// only changes which servers share a listener when two Gateway ports map to one target port.
/// </summary>
public static class GatewayServerMerge
{
    /// <summary>Why a server was left out.</summary>
    public enum Drop
    {
        /// <summary>Kept.</summary>
        None,

        /// <summary>A host it declares with TLS settings was declared so before on the port and bind.</summary>
        DuplicateTlsHost,

        /// <summary>Its protocol cannot share the port with the protocol of the server that came first.</summary>
        ProtocolConflict,

        /// <summary>Another HTTPS server of the same Gateway on the port has the same port name.</summary>
        DuplicatePortName,
    }

    /// <summary>One server of a Gateway.</summary>
    public sealed record ServerRef(Gateway Gateway, int Index, Server Server)
    {
        /// <summary>How messages name it: <c>Gateway ns/name spec.servers[i]</c>.</summary>
        public string Describe() => $"{Gateway.DisplayName} spec.servers[{Index}]";

        /// <summary>The server's protocol in upper case.</summary>
        public string Protocol => (Server.Port?.Protocol ?? "").ToUpperInvariant();
    }

    /// <summary>What Istio does with one server.</summary>
    public sealed record Decision(ServerRef Server, Drop Drop, ServerRef? Earlier, string? Host)
    {
        /// <summary>Whether the server is kept.</summary>
        public bool Kept => Drop == Drop.None;

        /// <summary>The port number.</summary>
        public int Port => Server.Server.Port?.Number ?? 0;
    }

    /// <summary>Istio's decision for every server with a port of <paramref name="gateways"/> (all selecting one workload).</summary>
    public static IReadOnlyList<Decision> Merge(IEnumerable<Gateway> gateways)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var decisions = new List<Decision>();
        var tlsHosts = new Dictionary<int, Dictionary<string, (string Bind, ServerRef Owner)>>();
        var firstOnPort = new Dictionary<int, ServerRef>();
        var plainText = new Dictionary<int, ServerRef>();
        var routeNames = new HashSet<string>(StringComparer.Ordinal);
        var tlsBinds = new Dictionary<int, HashSet<string>>();

        foreach (var gateway in CreationOrder.Sort(gateways))
        {
            for (var i = 0; i < gateway.Spec.Servers.Count; i++)
            {
                var server = gateway.Spec.Servers[i];
                if (server.Port?.Number is not { } port)
                {
                    continue;
                }

                var current = new ServerRef(gateway, i, server);
                var bind = server.Bind ?? "";
                if (server.Tls is not null)
                {
                    if (!tlsHosts.TryGetValue(port, out var known))
                    {
                        tlsHosts[port] = known = new Dictionary<string, (string, ServerRef)>(StringComparer.Ordinal);
                    }

                    var hosts = SanitizedHosts(server, gateway.Metadata.Namespace);
                    var duplicate = hosts.FirstOrDefault(h => known.TryGetValue(h, out var entry) && entry.Bind == bind);
                    if (duplicate is not null)
                    {
                        decisions.Add(new Decision(current, Drop.DuplicateTlsHost, known[duplicate].Owner, duplicate));
                        continue;
                    }

                    foreach (var host in hosts)
                    {
                        known[host] = (bind, current);
                    }
                }

                var routeName = RouteName(current);
                if (!firstOnPort.TryGetValue(port, out var first))
                {
                    firstOnPort[port] = current;
                    if (!IsTlsServer(server))
                    {
                        plainText[port] = current;
                    }
                    else
                    {
                        tlsBinds[port] = new HashSet<string>(StringComparer.Ordinal) { bind };
                    }

                    if (routeName.Length > 0)
                    {
                        routeNames.Add(routeName);
                    }

                    decisions.Add(new Decision(current, Drop.None, null, null));
                    continue;
                }

                if (plainText.TryGetValue(port, out var plain))
                {
                    var sameBind = (plain.Server.Bind ?? "") == bind;
                    if (sameBind && (!CanMerge(current.Protocol, plain.Protocol) || routeName.Length == 0))
                    {
                        decisions.Add(new Decision(current, Drop.ProtocolConflict, plain, null));
                        continue;
                    }

                    decisions.Add(new Decision(current, Drop.None, null, null));
                    continue;
                }

                if (IsHttpServer(server))
                {
                    if (!routeNames.Add(routeName))
                    {
                        decisions.Add(new Decision(current, Drop.DuplicatePortName, first, null));
                        continue;
                    }
                }

                var newBind = tlsBinds[port].Add(bind);
                if (server.Tls is null && !newBind)
                {
                    decisions.Add(new Decision(current, Drop.ProtocolConflict, first, null));
                    continue;
                }

                decisions.Add(new Decision(current, Drop.None, null, null));
            }
        }

        return decisions;
    }

    /// <summary>Istio's <c>sanitizeServerHostNamespace</c>: the server's hosts as the merge compares them.</summary>
    public static IReadOnlyList<string> SanitizedHosts(Server server, string gatewayNamespace)
    {
        ArgumentNullException.ThrowIfNull(server);
        var hosts = new List<string>(server.Hosts.Count);
        foreach (var host in server.Hosts)
        {
            var parts = host.Split('/');
            if (parts.Length < 2)
            {
                hosts.Add(host);
            }
            else if (parts[0] == ".")
            {
                hosts.Add($"{gatewayNamespace}/{parts[1]}");
            }
            else if (parts[0] == "*")
            {
                if (parts[1] == "*")
                {
                    return ["*"];
                }

                hosts.Add(parts[1]);
            }
            else
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    /// <summary>Istio's <c>protocol.IsHTTP</c>.</summary>
    public static bool IsHttpProtocol(string protocol) =>
        protocol.ToUpperInvariant() is "HTTP" or "HTTP2" or "GRPC" or "GRPC-WEB" or "HTTP_PROXY";

    /// <summary>Istio's <c>IsTLSServer</c>: TLS settings on a protocol that is not HTTP-family.</summary>
    public static bool IsTlsServer(Server server) =>
        server.Tls is not null && !IsHttpProtocol(server.Port?.Protocol ?? "");

    /// <summary>Istio's <c>IsPassThroughServer</c>: <c>tls.mode</c> PASSTHROUGH (also when unset) or AUTO_PASSTHROUGH.</summary>
    public static bool IsPassthrough(Server server) =>
        server.Tls is { } tls && (tls.Mode ?? "PASSTHROUGH").ToUpperInvariant() is "PASSTHROUGH" or "AUTO_PASSTHROUGH";

    /// <summary>Istio's <c>IsHTTPServer</c>: an HTTP-family server, or HTTPS that terminates TLS.</summary>
    public static bool IsHttpServer(Server server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var protocol = server.Port?.Protocol ?? "";
        return IsHttpProtocol(protocol) ||
               (protocol.Equals("HTTPS", StringComparison.OrdinalIgnoreCase) && server.Tls is not null && !IsPassthrough(server));
    }

    /// <summary>
    /// Istio's <c>gatewayRDSRouteName</c>: <c>http.PORT</c> for HTTP-family servers (one route table per port),
    /// <c>https.PORT.PORTNAME.GATEWAY.NAMESPACE</c> for terminated HTTPS (one per server), empty otherwise.
    /// </summary>
    public static string RouteName(ServerRef server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var port = server.Server.Port;
        if (IsHttpProtocol(port?.Protocol ?? ""))
        {
            return $"http.{port?.Number}";
        }

        return IsHttpServer(server.Server)
            ? $"https.{port?.Number}.{port?.Name}.{server.Gateway.Metadata.Name}.{server.Gateway.Metadata.Namespace}"
            : "";
    }

    /// <summary>Istio's <c>canMergeProtocols</c>: a later server joins a plain-text port only if both are HTTP-family.</summary>
    private static bool CanMerge(string later, string first) =>
        (IsHttpProtocol(later) || later == first) && IsHttpProtocol(first);
}

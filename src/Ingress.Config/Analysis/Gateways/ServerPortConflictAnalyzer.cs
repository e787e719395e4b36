using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Gateways;

/// <summary>
/// ING2006/ING2007: servers of the same gateway workload on one port must agree. Istio builds one listener per
/// port: plain-text HTTP servers merge, HTTPS/TLS servers become filter chains chosen by SNI, and a server whose
/// protocol differs from the first one on the port is dropped (<c>pilot/pkg/model/gateway.go</c>, simulation
/// cases "multiple protocols on a port" and "duplicate host names").
/// </summary>
public sealed class ServerPortConflictAnalyzer : IAnalyzer
{
    public string Name => "gateway.ServerPortConflictAnalyzer";

    public string Description => "Checks that servers on the same port of a gateway workload use compatible protocols and distinct TLS hosts";

    public IReadOnlyList<string> Codes { get; } = [Messages.MixedProtocolsOnPort.Code, Messages.DuplicateTlsHostOnPort.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway", "Deployment"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        var servers = context.Config.Gateways
            .SelectMany(gateway => gateway.Spec.Servers.Select((server, i) => new Entry(gateway, server, i, WorkloadKey(index, gateway, context))))
            .Where(entry => entry.Server.Port?.Number is not null)
            .ToList();

        foreach (var group in servers.GroupBy(entry => (entry.WorkloadKey, entry.Server.Port!.Number)))
        {
            var list = group.ToList();
            for (var later = 1; later < list.Count; later++)
            {
                var current = list[later];
                var first = list.Take(later).FirstOrDefault(earlier => Family(earlier.Server) != Family(current.Server));
                if (first is not null)
                {
                    yield return Messages.MixedProtocolsOnPort.At(
                        current.Gateway,
                        $"spec.servers[{current.Index}].port.protocol",
                        "Serve HTTP and HTTPS on different ports (80 and 443), and redirect with tls.httpsRedirect on the HTTP server.",
                        group.Key.Number,
                        Protocol(first.Server),
                        first.Describe(),
                        Protocol(current.Server),
                        current.Describe());
                    continue;
                }

                if (Family(current.Server) != "tls")
                {
                    continue;
                }

                foreach (var earlier in list.Take(later).Where(e => ReferenceEquals(e.Gateway, current.Gateway)))
                {
                    var shared = current.Server.Hosts.Select(Bare)
                        .FirstOrDefault(host => earlier.Server.Hosts.Select(Bare).Contains(host, StringComparer.OrdinalIgnoreCase));
                    if (shared is not null)
                    {
                        yield return Messages.DuplicateTlsHostOnPort.At(
                            current.Gateway,
                            $"spec.servers[{current.Index}].hosts",
                            "Serve each host from one server per port; put several hosts in one server if they share a certificate.",
                            shared,
                            group.Key.Number,
                            earlier.Describe(),
                            current.Describe());
                        break;
                    }
                }
            }
        }
    }

    private static string WorkloadKey(ConfigIndex index, Gateway gateway, AnalysisContext context)
    {
        var workload = index.GatewayWorkload(gateway, context);
        return $"{workload.Namespace}|{Labels.ToSelectorString(gateway.Spec.Selector)}";
    }

    private static string Protocol(Server server) => (server.Port?.Protocol ?? "").ToUpperInvariant();

    private static string Family(Server server) => Protocol(server) switch
    {
        "HTTP" or "HTTP2" or "GRPC" or "GRPC-WEB" => "http",
        "HTTPS" or "TLS" => "tls",
        var other => other,
    };

    private static string Bare(string host) => HostNames.SplitServerHost(host, "").Host;

    private sealed record Entry(Gateway Gateway, Server Server, int Index, string WorkloadKey)
    {
        public string Describe() => $"{Gateway.DisplayName} spec.servers[{Index}]";
    }
}

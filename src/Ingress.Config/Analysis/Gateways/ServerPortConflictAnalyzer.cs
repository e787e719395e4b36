using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Gateways;

/// <summary>
/// ING2006/ING2007: a server Istio drops when it merges the Gateways of one gateway workload into listeners, as
/// <see cref="GatewayServerMerge"/> decides (Istio's <c>mergeGateways</c>): ING2006 for a protocol that cannot share
/// the port, ING2007 for a host already declared with TLS settings on the port (in the same Gateway or another one;
/// IST0145 also reports the second case, as Istio's analyzer does). The local gateway reports the same decisions with
/// the same codes, through <see cref="FindingFor"/>. A duplicate port name is left to validation.
/// </summary>
public sealed class ServerPortConflictAnalyzer : IAnalyzer
{
    public string Name => "gateway.ServerPortConflictAnalyzer";

    public string Description => "Checks for Gateway servers Istio drops when it merges the Gateways of a workload into listeners";

    public IReadOnlyList<string> Codes { get; } = [Messages.MixedProtocolsOnPort.Code, Messages.DuplicateTlsHostOnPort.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway", "Deployment", "Pod"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);

        // Istio merges every Gateway that selects the proxy: group the Gateways by the workloads they select.
        var byWorkload = new Dictionary<string, List<Gateway>>(StringComparer.Ordinal);
        foreach (var gateway in context.Config.Gateways)
        {
            foreach (var workload in index.GatewayWorkloads(gateway, context))
            {
                var key = workload.IsAssumed
                    ? $"{workload.Namespace}|{Labels.ToSelectorString(workload.Labels)}"
                    : $"{workload.Source!.DisplayName}";
                if (!byWorkload.TryGetValue(key, out var list))
                {
                    byWorkload[key] = list = [];
                }

                list.Add(gateway);
            }
        }

        return byWorkload.Values
            .SelectMany(GatewayServerMerge.Merge)
            .Select(FindingFor)
            .OfType<Diagnostic>()
            .Distinct();
    }

    /// <summary>The finding for a server Istio drops (null when it keeps it, or for a duplicate port name).</summary>
    public static Diagnostic? FindingFor(GatewayServerMerge.Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var server = decision.Server;
        return decision.Drop switch
        {
            GatewayServerMerge.Drop.ProtocolConflict => Messages.MixedProtocolsOnPort.At(
                server.Gateway,
                $"spec.servers[{server.Index}].port.protocol",
                "Serve HTTP and HTTPS on different ports (80 and 443), and redirect with tls.httpsRedirect on the HTTP server.",
                decision.Port,
                decision.Earlier!.Protocol,
                decision.Earlier.Describe(),
                server.Protocol,
                server.Describe()),
            GatewayServerMerge.Drop.DuplicateTlsHost => Messages.DuplicateTlsHostOnPort.At(
                server.Gateway,
                $"spec.servers[{server.Index}].hosts",
                "Serve each host from one server per port; put several hosts in one server if they share a certificate.",
                decision.Host,
                decision.Port,
                decision.Earlier!.Describe(),
                server.Describe()),
            _ => null,
        };
    }
}

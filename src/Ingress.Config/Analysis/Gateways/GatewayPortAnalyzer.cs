using System.Globalization;
using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Gateways;

/// <summary>
/// IST0162: a Gateway server port is exposed by the Service in front of the gateway workload. Istio's
/// <c>gateway/gateway.go</c> compares with the Service's targetPort (or port when no targetPort is set); a Gateway
/// port equal to the Service port is also accepted here, because Istio maps it to the targetPort listener
/// (80 → 8080 in the default chart). Only when that Service is in the configuration.
/// </summary>
public sealed class GatewayPortAnalyzer : IAnalyzer
{
    public string Name => "gateway.IngressGatewayPortAnalyzer";

    public string Description => "Checks a Gateway's ports against the ports of the Kubernetes Service in front of its workload";

    public IReadOnlyList<string> Codes { get; } = [Messages.GatewayPortNotDefinedOnService.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway", "Service", "Deployment", "Pod"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        foreach (var gateway in context.Config.Gateways)
        {
            var services = index.GatewayWorkloads(gateway, context)
                .SelectMany(workload => ServicesFor(context.Config, workload))
                .Distinct()
                .ToList();
            if (services.Count == 0)
            {
                continue; // The gateway's Service is not in the configuration: nothing to compare with.
            }

            var ports = new HashSet<int>();
            foreach (var port in services.SelectMany(s => s.Spec.Ports))
            {
                if (port.Protocol is not (null or "TCP"))
                {
                    continue;
                }

                if (port.Port is { } number)
                {
                    ports.Add(number);
                }

                if (int.TryParse(port.TargetPort, NumberStyles.None, CultureInfo.InvariantCulture, out var target))
                {
                    ports.Add(target);
                }
            }

            for (var i = 0; i < gateway.Spec.Servers.Count; i++)
            {
                if (gateway.Spec.Servers[i].Port?.Number is not { } number || ports.Contains(number))
                {
                    continue;
                }

                yield return Messages.GatewayPortNotDefinedOnService.At(
                    gateway,
                    $"spec.servers[{i}].port.number",
                    $"Add port {number} to {string.Join(" or ", services.Select(s => s.DisplayName))}, or use a port it exposes.",
                    number,
                    Labels.ToSelectorString(gateway.Spec.Selector));
            }
        }
    }

    private static IEnumerable<Service> ServicesFor(ConfigSet config, Workload workload) =>
        config.Services.Where(service =>
            service.Metadata.Namespace == workload.Namespace
            && service.Spec.Selector.Count > 0
            && (workload.IsAssumed
                ? Labels.Overlap(service.Spec.Selector, workload.Labels)
                : Labels.Matches(service.Spec.Selector, workload.Labels)));
}

using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Gateways;

/// <summary>
/// IST0145: two Gateways with the same selector serve the same port and overlapping hosts, so which one wins is
/// undefined. Compare Istio's <c>gateway/conflictinggateway.go</c>.
/// </summary>
public sealed class ConflictingGatewayAnalyzer : IAnalyzer
{
    public string Name => "gateway.ConflictingGatewayAnalyzer";

    public string Description => "Checks that Gateways with the same selector do not serve the same port and host";

    public IReadOnlyList<string> Codes { get; } = [Messages.ConflictingGateways.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var gateways = context.Config.Gateways.ToList();
        foreach (var gateway in gateways)
        {
            var selector = Labels.ToSelectorString(gateway.Spec.Selector);
            for (var i = 0; i < gateway.Spec.Servers.Count; i++)
            {
                var server = gateway.Spec.Servers[i];
                if (server.Port?.Number is not { } port)
                {
                    continue;
                }

                var conflicts = new List<string>();
                foreach (var other in gateways)
                {
                    if (ReferenceEquals(other, gateway) || Labels.ToSelectorString(other.Spec.Selector) != selector)
                    {
                        continue;
                    }

                    var overlaps = other.Spec.Servers
                        .Where(s => s.Port?.Number == port)
                        .SelectMany(s => s.Hosts)
                        .Any(otherHost => server.Hosts.Any(host => HostNames.Matches(Bare(host), Bare(otherHost))));
                    if (overlaps)
                    {
                        conflicts.Add($"{other.Metadata.Namespace}/{other.Metadata.Name}");
                    }
                }

                if (conflicts.Count > 0)
                {
                    yield return Messages.ConflictingGateways.At(
                        gateway,
                        $"spec.servers[{i}].port.number",
                        "Serve each host and port from one Gateway, or give the Gateways different selectors.",
                        string.Join(',', conflicts),
                        selector,
                        port,
                        string.Join(',', server.Hosts));
                }
            }
        }
    }

    private static string Bare(string serverHost) => HostNames.SplitServerHost(serverHost, "").Host;
}

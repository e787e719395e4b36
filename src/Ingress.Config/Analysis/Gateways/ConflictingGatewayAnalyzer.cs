using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Gateways;

/// <summary>
/// IST0145: two Gateways for the same gateway pods declare the same host on the same port, so which one serves it
/// is undefined. Follows Istio's <c>gateway/conflictinggateway.go</c> (ConflictingGatewayAnalyzer, the release that
/// reads Pods and binds):
/// <list type="bullet">
/// <item>The Gateways compared are those with the same port number whose selectors are written the same
/// (<c>key=value</c> pairs sorted by key), or, when one selector's text contains the other's, those that both
/// select at least one pod of the configuration (Istio asks this of Pods; here the Pods and Deployment pod
/// templates are the pods). Selectors that overlap in another way are not compared, as in Istio.</item>
/// <item>Two servers conflict when they name the same host, written the same way (Istio's <c>CheckDuplicates</c>:
/// <c>*.example.com</c> and <c>api.example.com</c> do not conflict, nor do <c>*/a.com</c> and <c>a.com</c>), with the
/// same <c>bind</c>. Of a Gateway with several servers on a port, the last one is the one compared, because Istio
/// keys its table by Gateway and port. Istio's check also adds the hosts of a server without duplicates to the other
/// Gateway's entry, which makes later comparisons depend on map order; that side effect is not reproduced.</item>
/// </list>
/// The message lists the other Gateways sorted, then this Gateway's selector, the port and the server's hosts.
/// </summary>
public sealed class ConflictingGatewayAnalyzer : IAnalyzer
{
    public string Name => "gateway.ConflictingGatewayAnalyzer";

    public string Description => "Checks that Gateways for the same pods do not declare the same host on the same port";

    public IReadOnlyList<string> Codes { get; } = [Messages.ConflictingGateways.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway", "Pod", "Deployment"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        var gateways = context.Config.Gateways.ToList();

        // Istio's initGatewaysMap: per (selector, port), per Gateway, the hosts and bind of its last server there.
        var table = new Dictionary<(string Selector, int Port), Dictionary<Gateway, Server>>();
        foreach (var gateway in gateways)
        {
            var selector = Labels.ToSelectorString(gateway.Spec.Selector);
            foreach (var server in gateway.Spec.Servers)
            {
                var key = (selector, server.Port?.Number ?? 0);
                if (!table.TryGetValue(key, out var byGateway))
                {
                    table[key] = byGateway = new Dictionary<Gateway, Server>(ReferenceEqualityComparer.Instance);
                }

                byGateway[gateway] = server;
            }
        }

        foreach (var gateway in gateways)
        {
            var selector = Labels.ToSelectorString(gateway.Spec.Selector);
            var sameWorkload = table.Keys
                .Select(key => key.Selector)
                .Distinct(StringComparer.Ordinal)
                .Where(other => SelectSamePods(index, gateway.Spec.Selector, selector, other))
                .ToHashSet(StringComparer.Ordinal);

            for (var i = 0; i < gateway.Spec.Servers.Count; i++)
            {
                var server = gateway.Spec.Servers[i];
                var port = server.Port?.Number ?? 0;
                var conflicts = table
                    .Where(entry => entry.Key.Port == port && sameWorkload.Contains(entry.Key.Selector))
                    .SelectMany(entry => entry.Value)
                    .Where(pair => !ReferenceEquals(pair.Key, gateway) && SharesHost(server, pair.Value))
                    .Select(pair => $"{pair.Key.Metadata.Namespace}/{pair.Key.Metadata.Name}")
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (conflicts.Count > 0)
                {
                    yield return Messages.ConflictingGateways.At(
                        gateway,
                        $"spec.servers[{i}].port.number",
                        "Serve each host and port from one Gateway, or give the Gateways selectors that pick different pods.",
                        string.Join(',', conflicts),
                        selector,
                        port,
                        string.Join(',', server.Hosts));
                }
            }
        }
    }

    /// <summary>
    /// Istio's rule for comparing two Gateways: the same selector text, or one text containing the other and a pod
    /// that both select.
    /// </summary>
    private static bool SelectSamePods(ConfigIndex index, IReadOnlyDictionary<string, string> selector, string text, string otherText)
    {
        if (text == otherText)
        {
            return true;
        }

        if (!otherText.Contains(text, StringComparison.Ordinal) && !text.Contains(otherText, StringComparison.Ordinal))
        {
            return false;
        }

        var other = ParseSelector(otherText);
        return index.Workloads.Any(w => Labels.Matches(selector, w.Labels) && Labels.Matches(other, w.Labels));
    }

    /// <summary>Istio's <c>parseSelectorFromString</c>: the <c>key=value</c> pairs of a selector's text.</summary>
    private static Dictionary<string, string> ParseSelector(string text)
    {
        var selector = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(','))
        {
            var parts = pair.Split('=');
            if (parts.Length == 2)
            {
                selector[parts[0]] = parts[1];
            }
        }

        return selector;
    }

    /// <summary>Istio's <c>CheckDuplicates</c>: a host written the same way in both servers, with the same bind.</summary>
    private static bool SharesHost(Server server, Server known) =>
        (server.Bind ?? "") == (known.Bind ?? "") && server.Hosts.Any(host => known.Hosts.Contains(host, StringComparer.Ordinal));
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Services;

/// <summary>
/// IST0118: a Service port's name says its protocol (<c>http</c>, <c>http-web</c>, <c>grpc</c>, …) or
/// <c>appProtocol</c> does; otherwise Istio falls back to protocol sniffing. Compare Istio's <c>service/portname.go</c>.
/// </summary>
public sealed class PortNameAnalyzer : IAnalyzer
{
    private static readonly HashSet<string> Protocols = new(StringComparer.OrdinalIgnoreCase)
    {
        "http", "http2", "https", "http_proxy", "grpc", "grpc-web", "tcp", "tls", "udp", "mongo", "mysql", "redis",
    };

    public string Name => "service.PortNameAnalyzer";

    public string Description => "Checks that Service port names follow Istio's protocol naming convention";

    public IReadOnlyList<string> Codes { get; } = [Messages.PortNameIsNotUnderNamingConvention.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Service"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var service in context.Config.Services)
        {
            if (service.Metadata.Namespace is "kube-system" or "kube-public" or "kube-node-lease")
            {
                continue;
            }

            for (var i = 0; i < service.Spec.Ports.Count; i++)
            {
                var port = service.Spec.Ports[i];
                if (!string.IsNullOrEmpty(port.AppProtocol) || Follows(port.Name ?? ""))
                {
                    continue;
                }

                yield return Messages.PortNameIsNotUnderNamingConvention.At(
                    service,
                    $"spec.ports[{i}].name",
                    "Name it <protocol>[-<suffix>] (for example http or http-web) or set appProtocol.",
                    port.Name ?? "",
                    port.Port,
                    port.TargetPort ?? port.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool Follows(string name)
    {
        if (Protocols.Contains(name))
        {
            return true;
        }

        var dash = name.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return false;
        }

        // grpc-web is itself a protocol, so try the longest known prefix first.
        return name.StartsWith("grpc-web-", StringComparison.OrdinalIgnoreCase) || Protocols.Contains(name[..dash]);
    }
}

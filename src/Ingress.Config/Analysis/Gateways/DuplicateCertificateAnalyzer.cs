using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Gateways;

/// <summary>
/// IST0138: two Gateways for the same workload use the same certificate; a browser re-using an HTTP/2 connection
/// for the other host then gets 404. Compare Istio's <c>gateway/certificate.go</c>.
/// </summary>
public sealed class DuplicateCertificateAnalyzer : IAnalyzer
{
    public string Name => "gateway.CertificateAnalyzer";

    public string Description => "Checks that Gateways for the same workload do not share a certificate";

    public IReadOnlyList<string> Codes { get; } = [Messages.GatewayDuplicateCertificate.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var gateways = context.Config.Gateways.ToList();
        foreach (var gateway in gateways)
        {
            foreach (var other in gateways)
            {
                if (ReferenceEquals(other, gateway) || !SelectorSubset(gateway.Spec.Selector, other.Spec.Selector))
                {
                    continue;
                }

                foreach (var server in gateway.Spec.Servers)
                {
                    foreach (var otherServer in other.Spec.Servers)
                    {
                        if (server.Tls is null || otherServer.Tls is null || !SameCertificate(server.Tls, otherServer.Tls))
                        {
                            continue;
                        }

                        yield return Messages.GatewayDuplicateCertificate.At(
                            gateway,
                            "metadata.name",
                            "Use one certificate per Gateway, or serve the hosts from one Gateway server.",
                            Messages.GoList([
                                $"{gateway.Metadata.Namespace}/{gateway.Metadata.Name}",
                                $"{other.Metadata.Namespace}/{other.Metadata.Name}",
                            ]));
                    }
                }
            }
        }
    }

    private static bool SelectorSubset(IReadOnlyDictionary<string, string> x, IReadOnlyDictionary<string, string> y) =>
        x.All(pair => !y.TryGetValue(pair.Key, out var value) || value == pair.Value)
        && x.Count(pair => y.ContainsKey(pair.Key)) == x.Count;

    private static bool SameCertificate(ServerTlsSettings a, ServerTlsSettings b)
    {
        if (!string.IsNullOrEmpty(a.CredentialName) && !string.IsNullOrEmpty(b.CredentialName))
        {
            return a.CredentialName == b.CredentialName;
        }

        return string.IsNullOrEmpty(a.CredentialName) && string.IsNullOrEmpty(b.CredentialName)
            && !string.IsNullOrEmpty(a.ServerCertificate) && a.ServerCertificate == b.ServerCertificate
            && !string.IsNullOrEmpty(a.PrivateKey) && a.PrivateKey == b.PrivateKey;
    }
}

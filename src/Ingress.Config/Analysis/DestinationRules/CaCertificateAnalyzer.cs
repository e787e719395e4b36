using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.DestinationRules;

/// <summary>
/// IST0128/IST0129: a DestinationRule originating TLS (SIMPLE or MUTUAL) without <c>caCertificates</c> does not verify
/// the server's certificate. A <c>credentialName</c> with a <c>workloadSelector</c> supplies the CA, as in Istio's
/// <c>destinationrule/ca-certificates.go</c>.
/// </summary>
public sealed class CaCertificateAnalyzer : IAnalyzer
{
    public string Name => "destinationrule.CaCertificateAnalyzer";

    public string Description => "Checks that caCertificates is set when a DestinationRule's TLS mode is SIMPLE or MUTUAL";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.NoServerCertificateVerificationDestinationLevel.Code, Messages.NoServerCertificateVerificationPortLevel.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["DestinationRule"];

    private const string Advice = "Set caCertificates (or credentialName with a workloadSelector) so the server's certificate is verified.";

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var dr in context.Config.DestinationRules)
        {
            var policy = dr.Spec.TrafficPolicy;
            if (Unverified(dr, policy?.Tls))
            {
                yield return Messages.NoServerCertificateVerificationDestinationLevel.At(
                    dr, "spec.trafficPolicy.tls.mode", Advice,
                    $"{dr.Metadata.Namespace}/{dr.Metadata.Name}", dr.Metadata.Namespace, policy!.Tls!.Mode, dr.Spec.Host);
            }

            var ports = policy?.PortLevelSettings ?? [];
            for (var i = 0; i < ports.Count; i++)
            {
                if (Unverified(dr, ports[i].Tls))
                {
                    yield return Messages.NoServerCertificateVerificationPortLevel.At(
                        dr, $"spec.trafficPolicy.portLevelSettings[{i}].tls.mode", Advice,
                        $"{dr.Metadata.Namespace}/{dr.Metadata.Name}", dr.Metadata.Namespace, ports[i].Tls!.Mode, dr.Spec.Host,
                        ports[i].Port?.Number);
                }
            }
        }
    }

    private static bool Unverified(DestinationRule dr, ClientTlsSettings? tls) =>
        tls is { Mode: "SIMPLE" or "MUTUAL" }
        && string.IsNullOrEmpty(tls.CaCertificates)
        && !(!string.IsNullOrEmpty(tls.CredentialName) && dr.Spec.WorkloadSelector is not null);
}

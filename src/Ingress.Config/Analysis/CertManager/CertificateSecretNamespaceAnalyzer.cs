using Ingress.Config.Analysis.Support;
using Ingress.Config.Credentials;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.CertManager;

/// <summary>
/// ING2004: a Certificate writes the Secret a Gateway's <c>credentialName</c> names, but in a namespace other than
/// the gateway workload's, where the gateway never looks (istio.io, "cert-manager" integration: the Certificate must
/// be in the same namespace as the ingress gateway deployment).
/// </summary>
public sealed class CertificateSecretNamespaceAnalyzer : IAnalyzer
{
    public string Name => "certmanager.CertificateSecretNamespaceAnalyzer";

    public string Description => "Checks that Certificates for Gateway credentials write their Secret in the gateway workload's namespace";

    public IReadOnlyList<string> Codes { get; } = [Messages.CertificateSecretNotReadableByGateway.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Certificate", "Gateway", "Secret", "Deployment", "Pod"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        var certificates = context.Config.OfType<Certificate>().ToList();
        var reported = new HashSet<Certificate>();
        foreach (var gateway in context.Config.Gateways)
        {
            var workloadNamespace = index.GatewayWorkload(gateway, context).Namespace;
            var credentials = gateway.Spec.Servers
                .Where(s => s.Tls is not null)
                .SelectMany(s => s.Tls!.CredentialNames.Prepend(s.Tls.CredentialName ?? ""))
                .Where(c => c.Length > 0)
                .Select(c => CredentialName.SecretOf(c, workloadNamespace))
                .Where(secret => secret?.Namespace == workloadNamespace)
                .Select(secret => secret!.Value.Name)
                .Distinct();
            foreach (var credential in credentials)
            {
                var servedLocally = context.Config.Find<Secret>(workloadNamespace, credential) is not null
                    || certificates.Any(c => c.Spec.SecretName == credential && c.Metadata.Namespace == workloadNamespace);
                if (servedLocally)
                {
                    continue;
                }

                foreach (var certificate in certificates.Where(c => c.Spec.SecretName == credential && c.Metadata.Namespace != workloadNamespace))
                {
                    if (!reported.Add(certificate))
                    {
                        continue;
                    }

                    yield return Messages.CertificateSecretNotReadableByGateway.At(
                        certificate,
                        "spec.secretName",
                        $"Create the Certificate in namespace {workloadNamespace} (with an Issuer there, or a ClusterIssuer).",
                        $"{certificate.Metadata.Namespace}/{certificate.Metadata.Name}",
                        credential,
                        certificate.Metadata.Namespace,
                        $"{gateway.Metadata.Namespace}/{gateway.Metadata.Name}",
                        workloadNamespace);
                }
            }
        }
    }
}

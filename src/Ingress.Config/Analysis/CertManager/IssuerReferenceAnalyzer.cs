using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.CertManager;

/// <summary>
/// ING2003/IST0101: a Certificate's <c>issuerRef</c> names an issuer that exists where cert-manager looks: an
/// Issuer in the Certificate's own namespace, or a ClusterIssuer. Missing issuers are reported only when the
/// configuration holds issuers at all (otherwise they are managed elsewhere).
/// </summary>
public sealed class IssuerReferenceAnalyzer : IAnalyzer
{
    public string Name => "certmanager.IssuerReferenceAnalyzer";

    public string Description => "Checks that a Certificate's issuer is an Issuer in its namespace or a ClusterIssuer";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.IssuerNotInCertificateNamespace.Code, Messages.ReferencedResourceNotFound.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Certificate", "Issuer", "ClusterIssuer"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var issuers = context.Config.OfType<Issuer>().ToList();
        var clusterIssuers = context.Config.OfType<ClusterIssuer>().ToList();
        var anyIssuers = issuers.Count + clusterIssuers.Count > 0;
        foreach (var certificate in context.Config.OfType<Certificate>())
        {
            if (certificate.Spec.IssuerRef is not { Name: { } name } reference || !Issuers.IsCertManager(reference)
                || Issuers.Resolve(context.Config, certificate) is not null)
            {
                continue;
            }

            var ns = certificate.Metadata.Namespace;
            const string path = "spec.issuerRef.name";
            if (Issuers.KindOf(reference) == "Issuer")
            {
                var elsewhere = issuers.FirstOrDefault(i => i.Metadata.Name == name);
                if (elsewhere is not null)
                {
                    yield return Messages.IssuerNotInCertificateNamespace.At(
                        certificate, path,
                        $"cert-manager only uses an Issuer from the Certificate's namespace: create the Issuer in {ns}, or use a ClusterIssuer (issuerRef.kind: ClusterIssuer).",
                        Messages.Quote(name), ns, elsewhere.Metadata.Namespace);
                }
                else if (clusterIssuers.Any(i => i.Metadata.Name == name))
                {
                    yield return Messages.ReferencedResourceNotFound.At(
                        certificate, path, $"A ClusterIssuer {name} exists: set issuerRef.kind: ClusterIssuer.", "issuer", Messages.Quote(name));
                }
                else if (anyIssuers)
                {
                    yield return Messages.ReferencedResourceNotFound.At(
                        certificate, path, $"Create Issuer {ns}/{name} or fix issuerRef.", "issuer", Messages.Quote(name));
                }

                continue;
            }

            var namespaced = issuers.FirstOrDefault(i => i.Metadata.Name == name);
            if (namespaced is not null || anyIssuers)
            {
                yield return Messages.ReferencedResourceNotFound.At(
                    certificate,
                    path,
                    namespaced is not null
                        ? $"{namespaced.DisplayName} is a namespaced Issuer: set issuerRef.kind: Issuer and keep the Certificate in namespace {namespaced.Metadata.Namespace}, or make it a ClusterIssuer."
                        : $"Create ClusterIssuer {name} or fix issuerRef.",
                    "clusterissuer",
                    Messages.Quote(name));
            }
        }
    }
}

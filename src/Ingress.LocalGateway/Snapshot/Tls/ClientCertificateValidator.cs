using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Ingress.LocalGateway.Snapshot.Tls;

/// <summary>Verifies a client certificate against the server's CA (MUTUAL / OPTIONAL_MUTUAL) and its SANs.</summary>
public static class ClientCertificateValidator
{
    /// <summary>The validation callback for one server.</summary>
    public static RemoteCertificateValidationCallback Create(
        X509Certificate2Collection ca, bool optional, IReadOnlyList<string> subjectAltNames, bool insecureSkipVerify)
    {
        return (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return optional;
            }

            if (insecureSkipVerify)
            {
                return true;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
            var leaf = certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            if (!chain.Build(leaf))
            {
                return false;
            }

            return subjectAltNames.Count == 0 || HasSan(leaf, subjectAltNames);
        };
    }

    private static bool HasSan(X509Certificate2 certificate, IReadOnlyList<string> wanted)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var dns in san.EnumerateDnsNames())
                {
                    if (wanted.Contains(dns, StringComparer.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}

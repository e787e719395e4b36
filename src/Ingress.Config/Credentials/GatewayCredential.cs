using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ingress.Config.Model;

namespace Ingress.Config.Credentials;

/// <summary>
/// What is wrong with a gateway credential Secret, the way Istio's SDS reads it (<c>pilot/pkg/credentials/kube</c>:
/// the entries <see cref="CredentialName.CertificateKeys"/> names; <c>pilot/pkg/xds/sds.go</c>: the
/// certificate must parse and be valid now).
/// </summary>
public static class GatewayCredential
{
    /// <summary>A sentence naming the problem and what to do, or null when the Secret is usable.</summary>
    public static string? Problem(Secret secret, DateTimeOffset now)
    {
        if (CredentialName.CertificateKeys(secret) is not var (certKey, keyKey))
        {
            return "it has neither keys tls.crt and tls.key nor cert and key. Recreate it with 'kubectl create secret tls NAME --cert=FILE --key=FILE'.";
        }

        var certBytes = secret.GetBytes(certKey);
        var keyBytes = secret.GetBytes(keyKey);
        if (certBytes is null || keyBytes is null)
        {
            return $"the value of {(certBytes is null ? certKey : keyKey)} is not valid base64. Encode the PEM file with base64, or use stringData.";
        }

        var certPem = System.Text.Encoding.UTF8.GetString(certBytes);
        var keyPem = System.Text.Encoding.UTF8.GetString(keyBytes);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certPem);
        }
        catch (CryptographicException)
        {
            return $"{certKey} is not a PEM certificate (-----BEGIN CERTIFICATE-----). Put the PEM-encoded certificate chain there.";
        }

        using (certificate)
        {
            if (now < certificate.NotBefore.ToUniversalTime())
            {
                return $"the certificate in {certKey} is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}. Check the clock of the issuer or issue a new certificate.";
            }

            if (now > certificate.NotAfter.ToUniversalTime())
            {
                return $"the certificate in {certKey} expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}. Renew it and update the Secret.";
            }

            try
            {
                using var pair = X509Certificate2.CreateFromPem(certPem, keyPem);
            }
            catch (CryptographicException)
            {
                return $"{keyKey} is not a PEM private key matching the certificate in {certKey}. Put the certificate's own private key there.";
            }
        }

        return null;
    }
}

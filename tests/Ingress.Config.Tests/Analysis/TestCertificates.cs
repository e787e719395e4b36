using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ingress.Config.Tests.Analysis;

/// <summary>Self-signed certificates made at test time, so no committed certificate ever expires under a test.</summary>
internal static class TestCertificates
{
    /// <summary>A PEM certificate and PEM private key for <paramref name="commonName"/>, valid in the given window.</summary>
    public static (string CertPem, string KeyPem) Create(string commonName, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"O=kuopenx Inc., CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(commonName);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A certificate valid from an hour ago for a year.</summary>
    public static (string CertPem, string KeyPem) Valid(string commonName = "*.kuopenx.io") =>
        Create(commonName, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddYears(1));

    /// <summary>
    /// The Secret YAML <c>kubectl create secret tls NAME -n NS --cert --key --dry-run=client -o yaml</c> prints.
    /// </summary>
    public static string SecretYaml(string name, string ns, string certPem, string keyPem, string? caPem = null)
    {
        static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
        var ca = caPem is null ? "" : $"\n  ca.crt: {B64(caPem)}";
        return $"""
            apiVersion: v1
            data:
              tls.crt: {B64(certPem)}
              tls.key: {B64(keyPem)}{ca}
            kind: Secret
            metadata:
              creationTimestamp: null
              name: {name}
              namespace: {ns}
            type: kubernetes.io/tls

            """;
    }
}

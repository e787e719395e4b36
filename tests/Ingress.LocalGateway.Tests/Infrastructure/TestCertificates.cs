using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>A PEM certificate and key, as openssl writes them.</summary>
public sealed record PemPair(string CertificatePem, string KeyPem, X509Certificate2 Certificate);

/// <summary>Certificates made like the user's openssl commands, and Secrets as kubectl prints them.</summary>
public static class TestCertificates
{
    /// <summary>
    /// <c>openssl req -x509 -sha256 -nodes -days 365 -newkey rsa:2048 -subj '/O=kuopenx Inc./CN=*.kuopenx.io'</c>:
    /// self-signed, RSA 2048, SHA-256, CA basic constraints and key identifiers as openssl's defaults add.
    /// </summary>
    public static PemPair SelfSigned(string subject = "O=kuopenx Inc., CN=*.kuopenx.io", DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null, IEnumerable<string>? dnsNames = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (dnsNames is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var start = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        using var certificate = request.CreateSelfSigned(start, notAfter ?? start.AddDays(365));
        return ToPem(certificate, key);
    }

    /// <summary>A CA and a client certificate it signed (for MUTUAL TLS).</summary>
    public static (PemPair Ca, PemPair Client) CaAndClient(string clientSubject = "CN=client.kuopenx.io")
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(30));
        using var clientKey = RSA.Create(2048);
        var clientRequest = new CertificateRequest(clientSubject, clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, now, now.AddDays(10), [1, 2, 3, 4]);
        return (ToPem(ca, caKey), ToPem(client, clientKey));
    }

    private static PemPair ToPem(X509Certificate2 certificate, RSA key)
    {
        var certPem = certificate.ExportCertificatePem() + "\n";
        var keyPem = key.ExportPkcs8PrivateKeyPem() + "\n";
        var withKey = X509Certificate2.CreateFromPem(certPem, keyPem);
        // Round-trip through PKCS#12 so the key is usable for client authentication on every platform.
        var usable = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new PemPair(certPem, keyPem, usable);
    }

    /// <summary>
    /// What <c>kubectl create secret tls NAME -n NS --cert --key --dry-run=client -o yaml</c> prints.
    /// </summary>
    public static string KubectlTlsSecretYaml(string name, string @namespace, PemPair pair) =>
        $"""
        apiVersion: v1
        data:
          tls.crt: {B64(pair.CertificatePem)}
          tls.key: {B64(pair.KeyPem)}
        kind: Secret
        metadata:
          creationTimestamp: null
          name: {name}
          namespace: {@namespace}
        type: kubernetes.io/tls

        """;

    /// <summary>An Opaque Secret with arbitrary keys (values given as text).</summary>
    public static string OpaqueSecretYaml(string name, string @namespace, IReadOnlyDictionary<string, string> data)
    {
        var lines = string.Join("\n", data.Select(d => $"  {d.Key}: {B64(d.Value)}"));
        return $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: {@namespace}\ntype: Opaque\ndata:\n{lines}\n";
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}

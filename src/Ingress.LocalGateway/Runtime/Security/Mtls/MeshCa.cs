using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ingress.LocalGateway.Runtime.Security.Mtls;

/// <summary>
/// The local mesh's certificate authority (Istio's istiod CA in one folder): a root kept as <c>root-cert.pem</c> and
/// <c>root-key.pem</c> under a state directory, created on first use, that signs short-lived SPIFFE workload
/// certificates (<c>spiffe://cluster.local/ns/&lt;ns&gt;/sa/&lt;sa&gt;</c>). Every local proxy that uses the same
/// directory trusts the same root, as the workloads of one mesh do.
/// </summary>
public sealed class MeshCa : IDisposable
{
    /// <summary>Istio's default trust domain.</summary>
    public const string TrustDomain = "cluster.local";

    /// <summary>The identity Istio's default ingress gateway has.</summary>
    public const string IngressGatewayIdentity = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";

    /// <summary>
    /// The identity of the gateway Istio deploys for a Gateway API Gateway of class istio: the service account
    /// <c>&lt;name&gt;-istio</c> in the Gateway's namespace.
    /// </summary>
    public static string GatewayApiIdentity(string ns, string gatewayName) => SpiffeId(ns, gatewayName + "-istio");

    private readonly ECDsa _key;

    private MeshCa(X509Certificate2 root, ECDsa key, string directory)
    {
        Root = root;
        _key = key;
        Directory = directory;
    }

    /// <summary>The root certificate (public part): what peers verify workload certificates against.</summary>
    public X509Certificate2 Root { get; }

    public string Directory { get; }

    /// <summary>The SPIFFE id of a service account.</summary>
    public static string SpiffeId(string ns, string serviceAccount) => $"spiffe://{TrustDomain}/ns/{ns}/sa/{serviceAccount}";

    /// <summary>Loads the CA from <paramref name="directory"/>, creating it (and the folder) when it is not there yet.</summary>
    public static MeshCa LoadOrCreate(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, "root-cert.pem");
        var keyPath = Path.Combine(directory, "root-key.pem");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(keyPath));
            var root = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
            return new MeshCa(root, key, directory);
        }

        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("O=cluster.local,CN=Local mesh root CA", rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        var rootCert = X509CertificateLoader.LoadCertificate(selfSigned.RawData);

        // Write the key first with owner-only permissions: the CA key signs every identity in the local mesh.
        var keyPem = rootKey.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(keyPath, keyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(certPath, rootCert.ExportCertificatePem());
        return new MeshCa(rootCert, rootKey, directory);
    }

    /// <summary>Issues a workload certificate for a SPIFFE id, valid from <paramref name="now"/> (default: now) for <paramref name="lifetime"/>.</summary>
    public X509Certificate2 Issue(string spiffeId, TimeSpan lifetime, DateTimeOffset? now = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(UriSan(spiffeId));
        var start = now ?? DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var notAfter = start.Add(lifetime);
        if (notAfter > Root.NotAfter)
        {
            notAfter = Root.NotAfter;
        }

        using var signed = request.Create(Root.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), start.AddMinutes(-1), notAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(key);

        // Round-trip through PKCS#12 so the key is usable for TLS server authentication on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Extension UriSan(string uri)
    {
        // The SAN is critical because the subject is empty, as in Istio's workload certificates.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
        }

        return new X509Extension("2.5.29.17", writer.Encode(), true);
    }

    public void Dispose()
    {
        _key.Dispose();
        Root.Dispose();
    }
}

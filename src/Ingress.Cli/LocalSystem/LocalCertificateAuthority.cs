using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ingress.Cli.LocalSystem;

/// <summary>The local CA and the gateway's certificate, as files in the state folder.</summary>
public sealed record LocalCertificates
{
    /// <summary>The CA certificate (PEM): what <c>curl --cacert</c> and the tests trust.</summary>
    public required string CaCertificatePath { get; init; }

    /// <summary>The gateway's certificate (PEM), issued by the CA for <see cref="LocalCertificateAuthority.GatewayHost"/>.</summary>
    public required string GatewayCertificatePath { get; init; }

    /// <summary>The gateway certificate's private key (PKCS#8 PEM).</summary>
    public required string GatewayKeyPath { get; init; }

    /// <summary>True when this run made a new CA (a browser or curl trusting the old one must be given the new file).</summary>
    public required bool CaCreated { get; init; }

    /// <summary>True when this run issued a new gateway certificate.</summary>
    public required bool GatewayCertificateIssued { get; init; }
}

/// <summary>
/// Creates a private CA and a server certificate for the gateway host when they are absent, expiring or do not belong
/// together, so that the local system is reached with verified TLS (<c>--cacert</c>) instead of <c>curl -k</c>.
/// </summary>
public static class LocalCertificateAuthority
{
    /// <summary>The host the user's Gateway serves.</summary>
    public const string GatewayHost = "httpsserver.kuopenx.io";

    /// <summary>File names inside the state folder.</summary>
    public const string CaCertificateFile = "ca.crt";

    /// <summary>The CA's private key file (mode 0600).</summary>
    public const string CaKeyFile = "ca.key";

    /// <summary>The gateway certificate file.</summary>
    public const string GatewayCertificateFile = GatewayHost + ".crt";

    /// <summary>The gateway key file (mode 0600).</summary>
    public const string GatewayKeyFile = GatewayHost + ".key";

    // A certificate closer than this to its end is replaced, so a run never starts with one that expires mid-session.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan GatewayLifetime = TimeSpan.FromDays(365);

    /// <summary>Makes sure the CA and the gateway certificate exist and are usable; creates what is missing.</summary>
    public static LocalCertificates Ensure(string stateDirectory, TimeProvider time)
    {
        Directory.CreateDirectory(stateDirectory);
        var caCertPath = Path.Combine(stateDirectory, CaCertificateFile);
        var caKeyPath = Path.Combine(stateDirectory, CaKeyFile);
        var leafCertPath = Path.Combine(stateDirectory, GatewayCertificateFile);
        var leafKeyPath = Path.Combine(stateDirectory, GatewayKeyFile);
        var now = time.GetUtcNow();

        var ca = TryLoad(caCertPath, caKeyPath);
        var caCreated = false;
        if (ca is null || ca.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewBefore)
        {
            ca?.Dispose();
            ca = CreateCa(now);
            Write(caCertPath, ca.ExportCertificatePem(), secret: false);
            Write(caKeyPath, ExportKey(ca), secret: true);
            caCreated = true;
        }

        using (ca)
        {
            using var leaf = caCreated ? null : TryLoad(leafCertPath, leafKeyPath);
            var issued = false;
            if (leaf is null || !IsUsableGatewayCertificate(leaf, ca, now))
            {
                using var created = IssueGatewayCertificate(ca, now);
                Write(leafCertPath, created.ExportCertificatePem(), secret: false);
                Write(leafKeyPath, ExportKey(created), secret: true);
                issued = true;
            }

            return new LocalCertificates
            {
                CaCertificatePath = caCertPath,
                GatewayCertificatePath = leafCertPath,
                GatewayKeyPath = leafKeyPath,
                CaCreated = caCreated,
                GatewayCertificateIssued = issued,
            };
        }
    }

    private static X509Certificate2? TryLoad(string certPath, string keyPath)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (CryptographicException)
        {
            // A damaged or mismatched pair is replaced rather than reported: it is our own cache, not user input.
            return null;
        }
    }

    private static X509Certificate2 CreateCa(DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            $"CN=ingress local CA ({Environment.MachineName}), O=httpserver local development",
            key,
            HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime));
    }

    private static X509Certificate2 IssueGatewayCertificate(X509Certificate2 ca, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            $"CN={GatewayHost}, O=kuopenx Inc.", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(GatewayHost);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        var notAfter = now.Add(GatewayLifetime) < ca.NotAfter ? now.Add(GatewayLifetime) : new DateTimeOffset(ca.NotAfter);
        using var issued = request.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16).Select((b, i) => i == 0 ? (byte)(b & 0x7F) : b).ToArray());
        return issued.CopyWithPrivateKey(key);
    }

    private static bool IsUsableGatewayCertificate(X509Certificate2 leaf, X509Certificate2 ca, DateTimeOffset now)
    {
        if (leaf.NotAfter.ToUniversalTime() - now.UtcDateTime < RenewBefore || !leaf.MatchesHostname(GatewayHost))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(leaf);
    }

    private static string ExportKey(X509Certificate2 certificate) =>
        certificate.GetRSAPrivateKey()?.ExportPkcs8PrivateKeyPem()
        ?? throw new InvalidOperationException($"certificate {certificate.Subject} has no RSA private key");

    private static void Write(string path, string pem, bool secret)
    {
        File.WriteAllText(path, pem + "\n");
        if (secret && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}

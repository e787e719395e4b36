using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>The checks cert-manager's admission webhook makes for Issuer, ClusterIssuer and Certificate.</summary>
internal static class CertManagerValidator
{
    private static readonly HashSet<string> Usages = new(StringComparer.Ordinal)
    {
        "signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment",
        "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing",
        "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing",
        "microsoft sgc", "netscape sgc",
    };

    public static void Issuer(IssuerSpec spec, Findings f)
    {
        var types = new[] { ("acme", spec.Acme is not null), ("ca", spec.Ca is not null), ("selfSigned", spec.SelfSigned is not null),
            ("vault", spec.Vault is not null), ("venafi", spec.Venafi is not null) }.Where(t => t.Item2).Select(t => t.Item1).ToList();
        if (types.Count == 0)
        {
            f.Error(IssuerType, "spec", "at least one issuer must be configured: set one of acme, ca, selfSigned, vault or venafi");
        }
        else if (types.Count > 1)
        {
            f.Error(IssuerType, $"spec.{types[1]}", $"may not specify more than one issuer type (found {string.Join(" and ", types)})");
        }

        if (spec.Acme is { } acme)
        {
            if (string.IsNullOrEmpty(acme.Server))
            {
                f.Error(AcmeSettings, "spec.acme.server", "acme server URL is a required field (e.g. https://acme-v02.api.letsencrypt.org/directory)");
            }
            else if (!Uri.TryCreate(acme.Server, UriKind.Absolute, out var server) || server.Scheme != "https")
            {
                f.Error(AcmeSettings, "spec.acme.server", $"acme server \"{acme.Server}\" is not an https URL");
            }

            if (string.IsNullOrEmpty(acme.PrivateKeySecretRef?.Name))
            {
                f.Error(AcmeSettings, "spec.acme.privateKeySecretRef.name", "private key secret name is a required field");
            }

            for (var i = 0; i < acme.Solvers.Count; i++)
            {
                var solver = acme.Solvers[i];
                var path = $"spec.acme.solvers[{i}]";
                var count = (solver.Http01 is null ? 0 : 1) + (solver.Dns01 is null ? 0 : 1);
                if (count == 0)
                {
                    f.Error(AcmeSettings, path, "no solver type configured: set http01 or dns01");
                }
                else if (count > 1)
                {
                    f.Error(AcmeSettings, path, "may not specify more than one solver type in a single solver");
                }

                if (solver.Http01 is { } http01)
                {
                    if (http01.Ingress is null && http01.GatewayHTTPRoute is null)
                    {
                        f.Error(AcmeSettings, $"{path}.http01", "no HTTP01 solver type configured: set ingress or gatewayHTTPRoute");
                    }

                    if (http01.Ingress is { } ingress &&
                        (ingress.Class is null ? 0 : 1) + (ingress.IngressClassName is null ? 0 : 1) + (ingress.Name is null ? 0 : 1) > 1)
                    {
                        f.Error(AcmeSettings, $"{path}.http01.ingress", "only one of 'ingressClassName', 'name' or 'class' should be specified");
                    }
                }
            }
        }

        if (spec.Ca is { } ca && string.IsNullOrEmpty(ca.SecretName))
        {
            f.Error(IssuerType, "spec.ca.secretName", "secretName is a required field: the Secret holding the CA's tls.crt and tls.key");
        }
    }

    public static void Certificate(Certificate certificate, Findings f)
    {
        var spec = certificate.Spec;
        if (string.IsNullOrEmpty(spec.SecretName))
        {
            f.Error(CertificateSecret, "spec.secretName", "secretName must be specified: the Secret the certificate is written to");
        }
        else if (Names.FqdnError(spec.SecretName) is not null && !Names.IsDns1123Label(spec.SecretName))
        {
            f.Error(CertificateSecret, "spec.secretName", $"secretName \"{spec.SecretName}\" is not a valid Secret name (a DNS-1123 subdomain)");
        }

        if (spec.IssuerRef is not { } issuer || string.IsNullOrEmpty(issuer.Name))
        {
            f.Error(CertificateIssuerRef, "spec.issuerRef.name", "issuerRef.name must be specified");
        }
        else if (issuer.Group is null or "" or "cert-manager.io" && issuer.Kind is not (null or "" or "Issuer" or "ClusterIssuer"))
        {
            f.Error(CertificateIssuerRef, "spec.issuerRef.kind", $"issuerRef.kind \"{issuer.Kind}\" must be Issuer or ClusterIssuer");
        }

        if (string.IsNullOrEmpty(spec.CommonName) && string.IsNullOrEmpty(spec.LiteralSubject) && spec.DnsNames.Count == 0 &&
            spec.Uris.Count == 0 && spec.IpAddresses.Count == 0 && spec.EmailAddresses.Count == 0 && spec.OtherNames.Count == 0)
        {
            f.Error(CertificateSubject, "spec",
                "at least one of commonName (from the commonName field or from a literalSubject), dnsNames, uriSANs, ipAddresses, emailSANs or otherNames must be set");
        }

        if (spec.CommonName is { Length: > 64 })
        {
            f.Error(CertificateSubject, "spec.commonName", "commonName must be no more than 64 bytes");
        }

        for (var i = 0; i < spec.DnsNames.Count; i++)
        {
            if (Names.WildcardDomainError(spec.DnsNames[i]) is { } error)
            {
                f.Error(CertificateSubject, $"spec.dnsNames[{i}]", error);
            }
        }

        for (var i = 0; i < spec.Usages.Count; i++)
        {
            if (!Usages.Contains(spec.Usages[i]))
            {
                f.Error(CertificateUsages, $"spec.usages[{i}]",
                    $"unsupported value: \"{spec.Usages[i]}\" (supported: {string.Join(", ", Usages.Order(StringComparer.Ordinal))})");
            }
        }

        if (spec.PrivateKey is { } key)
        {
            PrivateKey(key, f);
        }

        Durations(spec, f);
    }

    private static void PrivateKey(CertificatePrivateKey key, Findings f)
    {
        var algorithm = key.Algorithm ?? "RSA";
        if (algorithm is not ("RSA" or "ECDSA" or "Ed25519"))
        {
            f.Error(CertificateKey, "spec.privateKey.algorithm", $"unsupported algorithm \"{algorithm}\": use RSA, ECDSA or Ed25519");
        }
        else if (key.Size is { } size)
        {
            var error = algorithm switch
            {
                "RSA" when size is < 2048 or > 8192 => "must be between 2048 & 8192 for rsa keyAlgorithm",
                "ECDSA" when size is not (256 or 384 or 521) => "must be either 256, 384 or 521 for ecdsa keyAlgorithm",
                _ => null,
            };
            if (error is not null)
            {
                f.Error(CertificateKey, "spec.privateKey.size", $"size {size} {error}");
            }
        }

        if (key.Encoding is { } encoding && encoding is not ("PKCS1" or "PKCS8"))
        {
            f.Error(CertificateKey, "spec.privateKey.encoding", $"unsupported encoding \"{encoding}\": use PKCS1 or PKCS8");
        }

        if (key.RotationPolicy is { } rotation && rotation is not ("Never" or "Always"))
        {
            f.Error(CertificateKey, "spec.privateKey.rotationPolicy", $"unsupported rotationPolicy \"{rotation}\": use Never or Always");
        }
    }

    private const long Minute = 60 * Istio.Durations.NanosecondsPerSecond;
    private const long Hour = 60 * Minute;

    /// <summary>cert-manager reads these with Go's time.ParseDuration too, so the same parser applies.</summary>
    private static void Durations(CertificateSpec spec, Findings f)
    {
        long? duration = null;
        if (spec.Duration is { } durationText)
        {
            if (!Istio.Durations.TryParse(durationText, out long value))
            {
                f.Error(CertificateDuration, "spec.duration", $"invalid duration \"{durationText}\": write hours, e.g. 2160h for 90 days");
            }
            else if (value < Hour)
            {
                f.Error(CertificateDuration, "spec.duration", $"certificate duration {durationText} must be greater than 1h0m0s");
            }
            else
            {
                duration = value;
            }
        }

        if (spec.RenewBefore is { } renewText)
        {
            if (!Istio.Durations.TryParse(renewText, out long renew))
            {
                f.Error(CertificateDuration, "spec.renewBefore", $"invalid duration \"{renewText}\": write hours, e.g. 360h for 15 days");
            }
            else if (renew < 5 * Minute)
            {
                f.Error(CertificateDuration, "spec.renewBefore", $"certificate renewBefore {renewText} must be greater than 5m0s");
            }
            else if (renew >= (duration ?? 2160 * Hour))
            {
                f.Error(CertificateDuration, "spec.renewBefore",
                    $"certificate duration {spec.Duration ?? "2160h (the default)"} must be greater than renewBefore {renewText}");
            }
        }

        if (spec.RenewBefore is not null && spec.RenewBeforePercentage is not null)
        {
            f.Error(CertificateDuration, "spec.renewBeforePercentage", "renewBefore and renewBeforePercentage are mutually exclusive");
        }
    }
}

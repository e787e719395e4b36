using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ingress.Config.Analysis;
using Ingress.Config.Credentials;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Tls;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Builds the TLS setup of an HTTPS server from its <c>tls</c> block: the certificate from <c>credentialName</c> (the
/// Secret in the gateway's namespace, <c>cert</c>/<c>key</c> before <c>tls.crt</c>/<c>tls.key</c>) or from files, the
/// client CA for MUTUAL, protocol versions, cipher suites and ALPN.
/// </summary>
public static class ServerTlsContextBuilder
{
    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    /// <summary>Builds the context; findings go to <paramref name="diagnostics"/>.</summary>
    public static ServerTlsContext Build(
        Resource gateway, string fieldPath, ServerTlsSettings tls, ConfigSet config, string gatewayNamespace,
        CompileDiagnostics diagnostics, TimeProvider time)
    {
        var mode = (tls.Mode ?? "PASSTHROUGH").ToUpperInvariant();
        string source;
        X509Certificate2Collection? chain;
        string? failure;
        if (!string.IsNullOrEmpty(tls.CredentialName) || tls.CredentialNames.Count > 0)
        {
            var name = !string.IsNullOrEmpty(tls.CredentialName) ? tls.CredentialName! : tls.CredentialNames[0];
            if (tls.CredentialNames.Count > 1)
            {
                diagnostics.Unsupported(gateway, fieldPath + ".credentialNames",
                    "a second certificate in credentialNames (only the first is served)");
            }

            (chain, failure, source) = FromSecret(name, config, gatewayNamespace);
            if (failure is not null)
            {
                var missing = failure.StartsWith("Secret", StringComparison.Ordinal) && failure.Contains("not found", StringComparison.Ordinal);
                diagnostics.Add(missing ? Messages.ReferencedResourceNotFound.Code : Messages.InvalidGatewayCredential.Code, Severity.Warning, gateway, fieldPath + ".credentialName",
                    $"{failure}; TLS handshakes for this server fail until it is fixed");
            }
        }
        else if (!string.IsNullOrEmpty(tls.ServerCertificate) && !string.IsNullOrEmpty(tls.PrivateKey))
        {
            source = $"file {tls.ServerCertificate}";
            (chain, failure) = FromFiles(tls.ServerCertificate!, tls.PrivateKey!);
            if (failure is not null)
            {
                diagnostics.Add(Messages.InvalidGatewayCredential.Code, Severity.Warning, gateway, fieldPath + ".serverCertificate",
                    $"{failure}; TLS handshakes for this server fail until it is fixed");
            }
        }
        else
        {
            source = "none";
            chain = null;
            failure = "the server has no certificate (set tls.credentialName)";
            diagnostics.Add(GatewayCodes.NoServerCertificate, Severity.Warning, gateway, fieldPath, failure);
        }

        if (chain is not null && failure is null)
        {
            var leaf = chain[0];
            var now = time.GetUtcNow();
            if (leaf.NotAfter.ToUniversalTime() < now.UtcDateTime || leaf.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                failure = $"the certificate from {source} is not valid now (valid {leaf.NotBefore:u} to {leaf.NotAfter:u})";
                diagnostics.Add(Messages.InvalidGatewayCredential.Code, Severity.Warning, gateway, fieldPath + ".credentialName",
                    $"{failure}; TLS handshakes for this server fail until it is fixed");
            }
        }

        if (failure is not null || chain is null)
        {
            return new ServerTlsContext { Mode = mode, CredentialSource = source, Failure = failure };
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(chain[0], Intermediates(chain), offline: true),
            ApplicationProtocols = Alpn,
            EnabledSslProtocols = Protocols(tls, gateway, fieldPath, diagnostics),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // A resumed session would skip the per-SNI server choice (and its certificate) that Envoy makes per
            // filter chain; every handshake is full.
            AllowTlsResume = false,
        };

        if (!OperatingSystem.IsWindows())
        {
            CipherSuitesPolicy? chosen = null;
            if (tls.CipherSuites.Count > 0)
            {
                chosen = CipherSuites.PolicyFor(tls.CipherSuites, out var unknown);
                foreach (var name in unknown)
                {
                    diagnostics.Add(GatewayCodes.UnknownCipherSuite, Severity.Warning, gateway, fieldPath + ".cipherSuites",
                        $"cipher suite '{name}' is not known and is left out, as Istio filters unknown suites");
                }
            }

            // Istio's default list, not OpenSSL's (which offers CBC suites under TLS 1.2).
            options.CipherSuitesPolicy = chosen ?? CipherSuites.DefaultPolicy;
        }

        if (mode is "MUTUAL" or "OPTIONAL_MUTUAL")
        {
            var ca = ClientCa(tls, config, gatewayNamespace, out var caFailure);
            if (ca is null)
            {
                diagnostics.Add(Messages.InvalidGatewayCredential.Code, Severity.Warning, gateway, fieldPath + ".credentialName",
                    $"{caFailure}; TLS handshakes for this server fail until it is fixed");
                return new ServerTlsContext { Mode = mode, CredentialSource = source, Failure = caFailure };
            }

            options.ClientCertificateRequired = true;
            options.RemoteCertificateValidationCallback = ClientCertificateValidator.Create(
                ca, optional: mode == "OPTIONAL_MUTUAL", tls.SubjectAltNames, tls.InsecureSkipVerify == true);
        }

        return new ServerTlsContext
        {
            Mode = mode,
            CredentialSource = source,
            Options = options,
            CertificateSummary = $"{chain[0].Subject}, expires {chain[0].NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}",
        };
    }

    private static X509Certificate2Collection Intermediates(X509Certificate2Collection chain)
    {
        var rest = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            rest.Add(chain[i]);
        }

        return rest;
    }

    private static SslProtocols Protocols(ServerTlsSettings tls, Resource gateway, string fieldPath, CompileDiagnostics diagnostics)
    {
        static int Rank(string? value) => value?.ToUpperInvariant() switch
        {
            "TLSV1_0" => 0,
            "TLSV1_1" => 1,
            "TLSV1_2" => 2,
            "TLSV1_3" => 3,
            _ => -1,
        };

        var min = Rank(tls.MinProtocolVersion);
        var max = Rank(tls.MaxProtocolVersion);
        min = min < 0 ? 2 : min;
        max = max < 0 ? 3 : max;
        if (max < min)
        {
            diagnostics.Add(GatewayCodes.ProtocolVersionsInverted, Severity.Warning, gateway, fieldPath + ".maxProtocolVersion",
                "maxProtocolVersion is below minProtocolVersion; using minProtocolVersion for both");
            max = min;
        }

        var result = SslProtocols.None;
        for (var rank = min; rank <= max; rank++)
        {
#pragma warning disable SYSLIB0039, CA5397 // TLS 1.0/1.1 only when the user's Gateway asks for them, as Envoy allows.
            result |= rank switch
            {
                0 => SslProtocols.Tls,
                1 => SslProtocols.Tls11,
                2 => SslProtocols.Tls12,
                _ => SslProtocols.Tls13,
            };
#pragma warning restore SYSLIB0039, CA5397
        }

        return result;
    }


    // Where a Secret of that name would be instead: one in another namespace, or the one a cert-manager Certificate in
    // another namespace writes (the seed's own mistake: a Certificate applied without -n writes its Secret in default).
    private static string Elsewhere(ConfigSet config, string ns, string name)
    {
        if (config.Secrets.FirstOrDefault(s => s.Metadata.Name == name && s.Metadata.Namespace != ns) is { } secret)
        {
            return $" (a Secret {secret.Metadata.Namespace}/{name} exists, but a Gateway reads credentialName from its own namespace, {ns})";
        }

        if (config.OfType<Ingress.Config.Model.Certificate>().FirstOrDefault(c => c.Spec.SecretName == name) is { } certificate)
        {
            return certificate.Metadata.Namespace == ns
                ? $" (Certificate {ns}/{certificate.Metadata.Name} asks cert-manager for it: locally, give the Secret itself)"
                : $" (Certificate {certificate.Metadata.Namespace}/{certificate.Metadata.Name} writes it in namespace " +
                  $"{certificate.Metadata.Namespace}, but a Gateway reads credentialName from its own namespace, {ns})";
        }

        return "";
    }

    private static (X509Certificate2Collection?, string?, string) FromSecret(string credential, ConfigSet config, string gatewayNamespace)
    {
        if (CredentialName.SecretOf(credential, gatewayNamespace) is not var (ns, name))
        {
            return (null, $"credentialName {credential} names no Secret (builtin:// is the workload's mesh certificate, which the local gateway does not serve on a Gateway)", credential);
        }

        var source = $"Secret {ns}/{name}";
        if (ns != gatewayNamespace)
        {
            return (null, $"{source} is in another namespace than the gateway ({gatewayNamespace}); Istio's SDS only serves the gateway's own namespace", source);
        }

        var secret = config.Find<Secret>(ns, name);
        if (secret is null)
        {
            return (null, $"{source} referenced by credentialName not found{Elsewhere(config, ns, name)}", source);
        }

        var (certKey, keyKey) = CredentialName.CertificateKeys(secret) ?? ("tls.crt", "tls.key");
        var cert = secret.GetBytes(certKey);
        var key = secret.GetBytes(keyKey);
        if (cert is null || key is null)
        {
            return (null, $"{source} has no usable certificate: it needs cert and key, or tls.crt and tls.key (base64 in data, or stringData)", source);
        }

        var (chain, failure) = Parse(Encoding.UTF8.GetString(cert), Encoding.UTF8.GetString(key), $"{source} ({certKey}/{keyKey})");
        return (chain, failure, source);
    }

    private static (X509Certificate2Collection?, string?) FromFiles(string certPath, string keyPath)
    {
        try
        {
            return Parse(File.ReadAllText(certPath), File.ReadAllText(keyPath), $"files {certPath} and {keyPath}");
        }
        catch (IOException e)
        {
            return (null, $"cannot read {certPath} or {keyPath}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return (null, $"cannot read {certPath} or {keyPath}: {e.Message}");
        }
    }

    private static (X509Certificate2Collection?, string?) Parse(string certPem, string keyPem, string what)
    {
        try
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPem(certPem);
            if (all.Count == 0)
            {
                return (null, $"{what}: no PEM certificate found");
            }

            var leaf = X509Certificate2.CreateFromPem(certPem, keyPem);
            var chain = new X509Certificate2Collection { leaf };
            for (var i = 1; i < all.Count; i++)
            {
                chain.Add(all[i]);
            }

            return (chain, null);
        }
        catch (CryptographicException e)
        {
            return (null, $"{what}: the certificate or key is not valid PEM or they do not match ({e.Message})");
        }
        catch (ArgumentException e)
        {
            return (null, $"{what}: the certificate or key is not valid PEM ({e.Message})");
        }
    }

    private static X509Certificate2Collection? ClientCa(ServerTlsSettings tls, ConfigSet config, string gatewayNamespace, out string? failure)
    {
        failure = null;
        string? pem = null;
        if (!string.IsNullOrEmpty(tls.CaCertificates))
        {
            try
            {
                pem = File.ReadAllText(tls.CaCertificates);
            }
            catch (IOException e)
            {
                failure = $"cannot read caCertificates {tls.CaCertificates}: {e.Message}";
                return null;
            }
        }
        else
        {
            var name = tls.CaCertCredentialName;
            Secret? secret = null;
            if (!string.IsNullOrEmpty(name))
            {
                secret = config.Find<Secret>(gatewayNamespace, name);
            }
            else if (!string.IsNullOrEmpty(tls.CredentialName)
                     && CredentialName.SecretOf(tls.CredentialName, gatewayNamespace) is var (credentialNamespace, credential)
                     && credentialNamespace == gatewayNamespace)
            {
                secret = CredentialName.CaSecret(config, gatewayNamespace, credential);
                name = secret?.Metadata.Name ?? credential + CredentialName.CaSuffix;
            }

            if (secret is null)
            {
                failure = $"no client CA for MUTUAL TLS: Secret {gatewayNamespace}/{name ?? "?"} not found";
                return null;
            }

            var bytes = CredentialName.CaKey(secret) is { } caKey ? secret.GetBytes(caKey) : null;
            if (bytes is null)
            {
                failure = $"Secret {gatewayNamespace}/{secret.Metadata.Name} has no cacert or ca.crt key for MUTUAL TLS";
                return null;
            }

            pem = Encoding.UTF8.GetString(bytes);
        }

        var ca = new X509Certificate2Collection();
        try
        {
            ca.ImportFromPem(pem!);
        }
        catch (CryptographicException e)
        {
            failure = $"the client CA is not valid PEM ({e.Message})";
            return null;
        }

        if (ca.Count == 0)
        {
            failure = "the client CA holds no certificate";
            return null;
        }

        return ca;
    }
}

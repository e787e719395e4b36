using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>The checks Istio's ValidateGateway makes (pkg/config/validation/validation.go), plus one certificate source per server.</summary>
internal static class GatewayValidator
{
    private static readonly string[] ServerTlsModes =
        ["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL"];

    private static readonly string[] TlsVersions = ["TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3"];

    private static readonly HashSet<string> CipherSuites = new(StringComparer.Ordinal)
    {
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
        "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA",
        "[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]",
        "[ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305]",
    };

    public static void Validate(Gateway gateway, Findings f)
    {
        if (!Names.IsDns1123Label(gateway.Metadata.Name))
        {
            f.Error(GatewayName, "metadata.name",
                $"invalid gateway name: \"{gateway.Metadata.Name}\" (a Gateway name must be a DNS-1123 label: lower-case letters, digits and '-', no dots)");
        }

        var servers = gateway.Spec.Servers;
        if (servers.Count == 0)
        {
            f.Error(GatewayServers, "spec.servers", "gateway must have at least one server");
        }

        var portNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < servers.Count; i++)
        {
            var server = servers[i];
            var path = $"spec.servers[{i}]";
            ValidateServer(server, path, f);
            if (server.Port is { } port)
            {
                if (!string.IsNullOrEmpty(port.Name) && !portNames.Add(port.Name))
                {
                    f.Error(GatewayDuplicatePortName, $"{path}.port.name",
                        $"port names in servers must be unique: duplicate name {port.Name}");
                }

                if (!Protocols.IsHttp(port.Protocol) && server.Tls?.HttpsRedirect == true)
                {
                    f.Warning(GatewayHttpsRedirect, $"{path}.tls.httpsRedirect",
                        "tls.httpsRedirect should only be used with http servers");
                }
            }
        }
    }

    private static void ValidateServer(Server server, string path, Findings f)
    {
        if (server.Hosts.Count == 0)
        {
            f.Error(GatewayHost, $"{path}.hosts", "server config must contain at least one host");
        }

        for (var h = 0; h < server.Hosts.Count; h++)
        {
            foreach (var error in Names.GatewayHostErrors(server.Hosts[h]))
            {
                f.Error(GatewayHost, $"{path}.hosts[{h}]", $"host \"{server.Hosts[h]}\": {error}");
            }
        }

        var portValid = ValidatePort(server.Port, server.Bind, $"{path}.port", f);
        if (!string.IsNullOrEmpty(server.Bind) && !server.Bind.StartsWith("unix://", StringComparison.Ordinal) &&
            !Names.IsIpAddress(server.Bind))
        {
            f.Error(GatewayBind, $"{path}.bind", $"{server.Bind} is not a valid IP");
        }

        if (server.Tls is { } tls)
        {
            ValidateTls(tls, $"{path}.tls", f);
        }

        if (!portValid)
        {
            return;
        }

        var protocol = server.Port!.Protocol;
        if (Protocols.IsTls(protocol) && server.Tls is null)
        {
            f.Error(GatewayTlsRequired, $"{path}.port.protocol",
                $"server must have TLS settings for HTTPS/TLS protocols (add tls with mode SIMPLE and a credentialName to serve {protocol})");
        }
        else if (!Protocols.IsTls(protocol) && server.Tls is { } plainTls)
        {
            if (Protocols.IsHttp(protocol))
            {
                // Istio accepts a pass-through-mode block here, which is what `tls: {httpsRedirect: true}` reads as.
                if (plainTls.Mode is not (null or "PASSTHROUGH" or "AUTO_PASSTHROUGH") || plainTls.CaCertificates is not null ||
                    plainTls.PrivateKey is not null || plainTls.ServerCertificate is not null ||
                    plainTls.CredentialName is not null || plainTls.CredentialNames.Count > 0)
                {
                    f.Error(GatewayTlsOnPlaintext, $"{path}.tls",
                        "server cannot have TLS settings for plain text HTTP ports (only tls.httpsRedirect is allowed there)");
                }
            }
            else
            {
                f.Error(GatewayTlsOnPlaintext, $"{path}.tls", "server cannot have TLS settings for non HTTPS/TLS ports");
            }
        }
    }

    /// <summary>Returns whether the port is usable for the protocol checks that follow (Istio skips them otherwise).</summary>
    private static bool ValidatePort(Port? port, string? bind, string path, Findings f)
    {
        if (port is null)
        {
            f.Error(GatewayPort, path, "port is required");
            return false;
        }

        var valid = true;
        if (!Protocols.IsKnown(port.Protocol))
        {
            f.Error(GatewayPort, $"{path}.protocol",
                $"invalid protocol \"{port.Protocol}\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
            valid = false;
        }

        var number = port.Number ?? 0;
        if ((number > 0 || bind?.StartsWith("unix://", StringComparison.Ordinal) != true) && number is < 1 or > 65535)
        {
            f.Error(GatewayPort, $"{path}.number", $"port number {number} must be in the range 1..65535");
            valid = false;
        }

        if (port.TargetPort > 0)
        {
            f.Error(GatewayPort, $"{path}.targetPort", "targetPort has no impact on Gateways");
            valid = false;
        }

        if (string.IsNullOrEmpty(port.Name))
        {
            f.Error(GatewayPortName, $"{path}.name", "port name must be set (for example https-443)");
            valid = false;
        }

        return valid;
    }

    private static void ValidateTls(ServerTlsSettings tls, string path, Findings f)
    {
        // Istio's default mode is PASSTHROUGH, the proto's zero value.
        var mode = tls.Mode ?? "PASSTHROUGH";
        if (tls.Mode is not null && !ServerTlsModes.Contains(tls.Mode, StringComparer.Ordinal))
        {
            f.Error(GatewayTlsMode, $"{path}.mode",
                $"unknown TLS mode \"{tls.Mode}\"; use one of {string.Join(", ", ServerTlsModes)}");
            return;
        }

        ValidateVersions(tls, path, f);
        ValidateCiphers(tls, path, f);

        if (mode == "ISTIO_MUTUAL")
        {
            Require(tls.ServerCertificate is null, "ISTIO_MUTUAL TLS cannot have associated server certificate", "serverCertificate");
            Require(tls.PrivateKey is null, "ISTIO_MUTUAL TLS cannot have associated private key", "privateKey");
            Require(tls.CaCertificates is null, "ISTIO_MUTUAL TLS cannot have associated CA bundle", "caCertificates");
            Require(tls.CredentialName is null, "ISTIO_MUTUAL TLS cannot have associated credentialName", "credentialName");
            Require(tls.CredentialNames.Count == 0, "ISTIO_MUTUAL TLS cannot have associated credentialNames", "credentialNames");
            Require(tls.TlsCertificates.Count == 0, "ISTIO_MUTUAL TLS cannot have associated tlsCertificates", "tlsCertificates");
            return;
        }

        if (mode is "PASSTHROUGH" or "AUTO_PASSTHROUGH")
        {
            if (tls.CaCrl is not null || tls.ServerCertificate is not null || tls.PrivateKey is not null ||
                tls.CaCertificates is not null || tls.CredentialName is not null || tls.CredentialNames.Count > 0 ||
                tls.TlsCertificates.Count > 0)
            {
                f.Warning(GatewayPassthroughCertificates, tls.Mode is null ? path : $"{path}.mode",
                    $"{mode} mode does not use certificates, they will be ignored" +
                    (tls.Mode is null ? " (no tls.mode was written, and Istio's default is PASSTHROUGH; write mode: SIMPLE to terminate TLS)" : ""));
            }

            return;
        }

        ValidateCertificateSource(tls, mode, path, f);

        if (tls.CaCrl is not null)
        {
            if (tls.CredentialName is not null)
            {
                f.Error(GatewayCertificateSource, $"{path}.caCrl",
                    "CRL is not supported with credentialName. CRL has to be specified in the credential");
            }

            if (mode == "SIMPLE")
            {
                f.Error(GatewayCertificateSource, $"{path}.caCrl", "CRL is not supported with SIMPLE TLS");
            }
        }

        void Require(bool ok, string message, string field)
        {
            if (!ok)
            {
                f.Error(GatewayIstioMutual, $"{path}.{field}", message);
            }
        }
    }

    private static void ValidateCertificateSource(ServerTlsSettings tls, string mode, string path, Findings f)
    {
        var sources = new List<string>();
        if (tls.CredentialName is not null)
        {
            sources.Add("credentialName");
        }

        if (tls.CredentialNames.Count > 0)
        {
            sources.Add("credentialNames");
        }

        if (tls.ServerCertificate is not null || tls.PrivateKey is not null)
        {
            sources.Add("serverCertificate/privateKey");
        }

        if (tls.TlsCertificates.Count > 0)
        {
            sources.Add("tlsCertificates");
        }

        var label = mode == "SIMPLE" ? "SIMPLE" : "MUTUAL";
        if (sources.Count > 1)
        {
            f.Error(GatewayCertificateSource, path,
                $"only one certificate source may be set, found {string.Join(" and ", sources)}: use credentialName, " +
                "credentialNames, serverCertificate with privateKey, or tlsCertificates");
        }
        else if (sources.Count == 0)
        {
            f.Error(GatewayCertificateSource, path,
                $"{label} TLS requires a server certificate: set credentialName to a kubernetes.io/tls Secret in the " +
                "gateway's namespace, or serverCertificate and privateKey file paths");
            return;
        }

        if (tls.CredentialNames.Count > 2)
        {
            f.Error(GatewayCertificateSource, $"{path}.credentialNames",
                $"at most two credentialNames may be set (one RSA and one ECDSA certificate), found {tls.CredentialNames.Count}");
        }

        if (tls.CredentialName is not null || tls.CredentialNames.Count > 0)
        {
            // The CA comes from the credential (or its -cacert companion) when a Secret is used.
            return;
        }

        if (tls.TlsCertificates.Count > 0)
        {
            for (var i = 0; i < tls.TlsCertificates.Count; i++)
            {
                var certificate = tls.TlsCertificates[i];
                if (certificate.ServerCertificate is null)
                {
                    f.Error(GatewayCertificateSource, $"{path}.tlsCertificates[{i}]", $"{label} TLS requires a server certificate");
                }

                if (certificate.PrivateKey is null)
                {
                    f.Error(GatewayCertificateSource, $"{path}.tlsCertificates[{i}]", $"{label} TLS requires a private key");
                }
            }
        }
        else
        {
            if (tls.ServerCertificate is null)
            {
                f.Error(GatewayCertificateSource, $"{path}.serverCertificate", $"{label} TLS requires a server certificate");
            }

            if (tls.PrivateKey is null)
            {
                f.Error(GatewayCertificateSource, $"{path}.privateKey", $"{label} TLS requires a private key");
            }
        }

        if (mode is "MUTUAL" or "OPTIONAL_MUTUAL" && tls.CaCertificates is null &&
            tls.TlsCertificates.All(c => c.CaCertificates is null))
        {
            f.Error(GatewayMutualCa, $"{path}.mode",
                "MUTUAL TLS requires a client CA bundle: set caCertificates (or use a credentialName whose Secret holds ca.crt)");
        }
    }

    private static void ValidateVersions(ServerTlsSettings tls, string path, Findings f)
    {
        var min = tls.MinProtocolVersion;
        var max = tls.MaxProtocolVersion;
        var minValid = CheckVersion(min, "minProtocolVersion");
        var maxValid = CheckVersion(max, "maxProtocolVersion");
        if (min is "TLSV1_0" or "TLSV1_1" && tls.CipherSuites.Count == 0)
        {
            f.Warning(GatewayTlsVersion, $"{path}.minProtocolVersion",
                "TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.");
        }

        if (minValid && maxValid && min is not (null or "TLS_AUTO") && max is not (null or "TLS_AUTO") &&
            string.CompareOrdinal(min, max) > 0)
        {
            f.Error(GatewayTlsVersion, $"{path}.minProtocolVersion",
                $"minProtocolVersion {min} is higher than maxProtocolVersion {max}, so no TLS version can be negotiated");
        }

        bool CheckVersion(string? version, string field)
        {
            if (version is null || TlsVersions.Contains(version, StringComparer.Ordinal))
            {
                return true;
            }

            f.Error(GatewayTlsVersion, $"{path}.{field}",
                $"unknown TLS version \"{version}\"; use one of {string.Join(", ", TlsVersions)}");
            return false;
        }
    }

    private static void ValidateCiphers(ServerTlsSettings tls, string path, Findings f)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invalid = new SortedSet<string>(StringComparer.Ordinal);
        var duplicate = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var suite in tls.CipherSuites)
        {
            if (!CipherSuites.Contains(suite))
            {
                invalid.Add(suite);
            }
            else if (!seen.Add(suite))
            {
                duplicate.Add(suite);
            }
        }

        if (invalid.Count > 0)
        {
            f.Warning(GatewayCipherSuites, $"{path}.cipherSuites", $"ignoring invalid cipher suites: [{string.Join(" ", invalid)}]");
        }

        if (duplicate.Count > 0)
        {
            f.Warning(GatewayCipherSuites, $"{path}.cipherSuites", $"ignoring duplicate cipher suites: [{string.Join(" ", duplicate)}]");
        }
    }
}

using Ingress.Config.Istio;
using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>
/// The checks Istio's ValidateGateway makes (<c>pkg/config/validation/validation.go</c>: ValidateGateway, validateServer,
/// validateServerPort, validateServerBind, validateTLSOptions), in Istio's order and with its notion of "not set".
/// </summary>
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
    };

    public static void Validate(Gateway gateway, Findings f)
    {
        if (!Names.IsLowerCaseDns1123Label(gateway.Metadata.Name))
        {
            f.Error(GatewayName, "metadata.name",
                $"invalid gateway name: \"{gateway.Metadata.Name}\" (a Gateway name must be a DNS-1123 label: lower-case letters, digits and '-', no dots)");
        }

        var servers = gateway.Spec.Servers;
        if (servers.Count == 0)
        {
            f.Error(GatewayServers, "spec.servers", "gateway must have at least one server");
        }

        for (var i = 0; i < servers.Count; i++)
        {
            ValidateServer(servers[i], $"spec.servers[{i}]", f);
        }

        // Istio keys uniqueness on the name as read, so two servers that both leave the name empty collide too.
        var portNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < servers.Count; i++)
        {
            var server = servers[i];
            var path = $"spec.servers[{i}]";
            if (server.Port is not { } port)
            {
                continue;
            }

            var name = Proto3.Value(port.Name);
            if (!portNames.Add(name))
            {
                f.Error(GatewayDuplicatePortName, $"{path}.port.name", $"port names in servers must be unique: duplicate name {name}");
            }

            if (!Protocols.IsHttp(port.Protocol) && Proto3.IsSet(server.Tls?.HttpsRedirect))
            {
                f.Warning(GatewayHttpsRedirect, $"{path}.tls.httpsRedirect", "tls.httpsRedirect should only be used with http servers");
            }
        }
    }

    /// <summary>Istio's validateServer: hosts, port, bind, TLS options, then what the protocol requires of TLS.</summary>
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

        var portValid = ValidatePort(server.Port, Proto3.Value(server.Bind), $"{path}.port", f);
        ValidateBind(server.Port, Proto3.Value(server.Bind), path, f);
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
                // Only a pass-through block (what `tls: {httpsRedirect: true}` reads as) without file certificates is
                // allowed here; Istio does not look at credentialName on a plain-text port.
                if (!IsPassThrough(plainTls) || Proto3.IsSet(plainTls.CaCertificates) || Proto3.IsSet(plainTls.PrivateKey) ||
                    Proto3.IsSet(plainTls.ServerCertificate))
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

    /// <summary>Istio's gateway.IsPassThroughServer: a TLS block whose mode (PASSTHROUGH by default) passes TLS through.</summary>
    private static bool IsPassThrough(ServerTlsSettings tls) => tls.Mode is null or "PASSTHROUGH" or "AUTO_PASSTHROUGH";

    /// <summary>
    /// Istio's validateServerPort; returns whether the port is usable for the protocol checks that follow (Istio skips
    /// them when any of these fail). A server bound to a unix socket has port 0.
    /// </summary>
    private static bool ValidatePort(Port? port, string bind, string path, Findings f)
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
                $"invalid protocol \"{Proto3.Value(port.Protocol)}\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
            valid = false;
        }

        var number = port.Number ?? 0;
        if ((number > 0 || !bind.StartsWith(UnixPrefix, StringComparison.Ordinal)) && number is < 1 or > 65535)
        {
            f.Error(GatewayPort, $"{path}.number", $"port number {number} must be in the range 1..65535");
            valid = false;
        }

        if (port.TargetPort > 0)
        {
            f.Error(GatewayPort, $"{path}.targetPort", "targetPort has no impact on Gateways");
            valid = false;
        }

        if (!Proto3.IsSet(port.Name))
        {
            f.Error(GatewayPortName, $"{path}.name", "port name must be set (for example https-443)");
            valid = false;
        }

        return valid;
    }

    private const string UnixPrefix = "unix://";

    /// <summary>
    /// Istio's validateServerBind: <c>unix://</c> names an absolute socket path (or an abstract <c>@name</c>) and needs
    /// port 0; anything else must be an IP address.
    /// </summary>
    private static void ValidateBind(Port? port, string bind, string path, Findings f)
    {
        if (bind.StartsWith(UnixPrefix, StringComparison.Ordinal))
        {
            if (Names.UnixAddressError(bind[UnixPrefix.Length..]) is { } error)
            {
                f.Error(GatewayBind, $"{path}.bind", error);
            }

            if (port is { Number: not (null or 0) })
            {
                f.Error(GatewayBind, $"{path}.port.number",
                    $"port number must be 0 for unix domain socket: {port.Number} (a server bound to {bind} listens on the socket, not on a port)");
            }
        }
        else if (bind.Length > 0 && !IpAddresses.IsAddress(bind))
        {
            f.Error(GatewayBind, $"{path}.bind", $"{bind} is not a valid IP");
        }
    }

    /// <summary>
    /// Istio's validateTLSOptions, in its order: versions and ciphers (warnings); ISTIO_MUTUAL takes no certificate;
    /// pass-through modes ignore certificates (warning, and the checks go on); one certificate source at most; SIMPLE
    /// and MUTUAL with a credential need nothing more; otherwise each file certificate needs its certificate and key,
    /// MUTUAL a CA bundle; a CRL goes with neither credentialName nor SIMPLE. Empty strings count as unset.
    /// </summary>
    private static void ValidateTls(ServerTlsSettings tls, string path, Findings f)
    {
        // The mode's zero value is PASSTHROUGH. An unknown mode fails to decode, so nothing else is checked.
        var mode = Proto3.IsSet(tls.Mode) ? tls.Mode! : "PASSTHROUGH";
        if (!ServerTlsModes.Contains(mode, StringComparer.Ordinal))
        {
            f.Error(GatewayTlsMode, $"{path}.mode", $"unknown TLS mode \"{tls.Mode}\"; use one of {string.Join(", ", ServerTlsModes)}");
            return;
        }

        ValidateVersions(tls, path, f);
        ValidateCiphers(tls, path, f);

        if (mode == "ISTIO_MUTUAL")
        {
            Require(!Proto3.IsSet(tls.ServerCertificate), "ISTIO_MUTUAL TLS cannot have associated server certificate", "serverCertificate");
            Require(!Proto3.IsSet(tls.PrivateKey), "ISTIO_MUTUAL TLS cannot have associated private key", "privateKey");
            Require(!Proto3.IsSet(tls.CaCertificates), "ISTIO_MUTUAL TLS cannot have associated CA bundle", "caCertificates");
            Require(tls.TlsCertificates.Count == 0, "ISTIO_MUTUAL TLS cannot have associated tlsCertificates", "tlsCertificates");
            Require(!Proto3.IsSet(tls.CredentialName), "ISTIO_MUTUAL TLS cannot have associated credentialName", "credentialName");
            Require(tls.CredentialNames.Count == 0, "ISTIO_MUTUAL TLS cannot have associated credentialNames", "credentialNames");
            return;
        }

        var hasCredential = Proto3.IsSet(tls.CredentialName) || tls.CredentialNames.Count > 0;
        if (mode is "PASSTHROUGH" or "AUTO_PASSTHROUGH" &&
            (Proto3.IsSet(tls.CaCrl) || Proto3.IsSet(tls.ServerCertificate) || Proto3.IsSet(tls.PrivateKey) ||
             Proto3.IsSet(tls.CaCertificates) || tls.TlsCertificates.Count > 0 || hasCredential))
        {
            var unwritten = !Proto3.IsSet(tls.Mode);
            f.Warning(GatewayPassthroughCertificates, unwritten ? path : $"{path}.mode",
                $"{mode} mode does not use certificates, they will be ignored" +
                (unwritten ? " (no tls.mode was written, and Istio's default is PASSTHROUGH; write mode: SIMPLE to terminate TLS)" : ""));
        }

        var sources = new List<string>();
        if (Proto3.IsSet(tls.CredentialName))
        {
            sources.Add("credentialName");
        }

        if (tls.CredentialNames.Count > 0)
        {
            sources.Add("credentialNames");
        }

        // A file pair counts only when both halves are written; a lone key next to a credentialName is ignored.
        if (Proto3.IsSet(tls.ServerCertificate) && Proto3.IsSet(tls.PrivateKey))
        {
            sources.Add("serverCertificate/privateKey");
        }

        if (tls.TlsCertificates.Count > 0)
        {
            sources.Add("tlsCertificates");
        }

        if (sources.Count > 1)
        {
            f.Error(GatewayCertificateSource, path,
                $"only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified, found {string.Join(" and ", sources)}");
        }

        var terminates = mode is "SIMPLE" or "MUTUAL" or "OPTIONAL_MUTUAL";
        if (terminates && hasCredential)
        {
            // The certificate and CA come from the Secret; Istio checks nothing else here (not even a CRL).
            return;
        }

        if (terminates)
        {
            var label = mode == "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS";
            if (mode != "SIMPLE" && !Proto3.IsSet(tls.CaCertificates))
            {
                f.Error(GatewayMutualCa, $"{path}.mode",
                    $"{label} requires a client CA bundle: set caCertificates (or use a credentialName whose Secret holds ca.crt)");
            }

            if (tls.TlsCertificates.Count > 2)
            {
                f.Warning(GatewayCertificateSource, $"{path}.tlsCertificates", $"{label} can support up to 2 server certificates");
            }

            if (tls.TlsCertificates.Count > 0)
            {
                for (var i = 0; i < tls.TlsCertificates.Count; i++)
                {
                    var certificate = tls.TlsCertificates[i];
                    RequireFile(certificate.ServerCertificate, $"{path}.tlsCertificates[{i}].serverCertificate", $"{label} requires a server certificate");
                    RequireFile(certificate.PrivateKey, $"{path}.tlsCertificates[{i}].privateKey", $"{label} requires a private key");
                }
            }
            else if (!Proto3.IsSet(tls.ServerCertificate) && !Proto3.IsSet(tls.PrivateKey))
            {
                f.Error(GatewayCertificateSource, path,
                    $"{label} requires a server certificate: set credentialName to a kubernetes.io/tls Secret in the " +
                    "gateway's namespace, or serverCertificate and privateKey file paths");
                f.Error(GatewayCertificateSource, path, $"{label} requires a private key");
            }
            else
            {
                RequireFile(tls.ServerCertificate, $"{path}.serverCertificate", $"{label} requires a server certificate");
                RequireFile(tls.PrivateKey, $"{path}.privateKey", $"{label} requires a private key");
            }
        }

        if (Proto3.IsSet(tls.CaCrl))
        {
            if (Proto3.IsSet(tls.CredentialName))
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

        void RequireFile(string? value, string at, string message)
        {
            if (!Proto3.IsSet(value))
            {
                f.Error(GatewayCertificateSource, at, message);
            }
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

        // Istio accepts this; Envoy's TLS context then has no version to offer, so every handshake fails.
        if (minValid && maxValid && min is not (null or "" or "TLS_AUTO") && max is not (null or "" or "TLS_AUTO") &&
            string.CompareOrdinal(min, max) > 0)
        {
            f.Warning(GatewayTlsVersion, $"{path}.minProtocolVersion",
                $"minProtocolVersion {min} is higher than maxProtocolVersion {max}, so no TLS version can be negotiated and every handshake fails");
        }

        bool CheckVersion(string? version, string field)
        {
            if (!Proto3.IsSet(version) || TlsVersions.Contains(version, StringComparer.Ordinal))
            {
                return true;
            }

            f.Error(GatewayTlsVersion, $"{path}.{field}",
                $"unknown TLS version \"{version}\"; use one of {string.Join(", ", TlsVersions)}");
            return false;
        }
    }

    /// <summary>
    /// Istio's cipher check (<c>security.IsValidCipherSuite</c>): an empty entry, <c>ALL</c> and any entry not starting with
    /// a letter or digit (BoringSSL operators such as <c>-X</c>, <c>+X</c>, <c>[A|B]</c>) are accepted; other names must
    /// be in Istio's list. Unknown and repeated names are ignored with a warning.
    /// </summary>
    private static void ValidateCiphers(ServerTlsSettings tls, string path, Findings f)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var invalid = new SortedSet<string>(StringComparer.Ordinal);
        var duplicate = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var suite in tls.CipherSuites)
        {
            var valid = suite.Length == 0 || suite == "ALL" || !char.IsLetterOrDigit(suite[0]) || CipherSuites.Contains(suite);
            if (!valid)
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

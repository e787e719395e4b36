using static Ingress.Config.Tests.Validation.Istio.IstioTable;

namespace Ingress.Config.Tests.Validation.Istio;

/// <summary>
/// Gateway servers against Istio's <c>pkg/config/validation/validation.go</c>: ValidateGateway, validateServer,
/// validateServerPort, validateServerBind and validateTLSOptions (the cases follow the shape of Istio's
/// TestValidateServer and TestValidateTlsOptions tables). Istio's API is proto3, so an empty string is "not set".
/// </summary>
public class GatewayTableTests
{
    private const string Https = "port: {number: 443, name: https, protocol: HTTPS}\nhosts: [web.example.com]\n";
    private const string Http = "port: {number: 80, name: http, protocol: HTTP}\nhosts: [web.example.com]\n";

    /// <summary>validateTLSOptions: name, server, outcome.</summary>
    public static TheoryData<string, string, string> TlsOptions => new()
    {
        {
            "simple with an empty serverCertificate and no credential",
            Https + "tls: {mode: SIMPLE, serverCertificate: '', privateKey: /etc/certs/key.pem}",
            "Error ING1109 spec.servers[0].tls.serverCertificate: SIMPLE TLS requires a server certificate"
        },
        {
            "simple with every certificate field empty",
            Https + "tls: {mode: SIMPLE, serverCertificate: '', privateKey: '', credentialName: ''}",
            "Error ING1109 spec.servers[0].tls: SIMPLE TLS requires a server certificate: set credentialName to a kubernetes.io/tls Secret in the gateway's namespace, or serverCertificate and privateKey file paths\n" +
            "Error ING1109 spec.servers[0].tls: SIMPLE TLS requires a private key"
        },
        {
            "istio_mutual with empty certificate fields",
            Https + "tls: {mode: ISTIO_MUTUAL, serverCertificate: '', privateKey: '', caCertificates: '', credentialName: ''}",
            Valid
        },
        {
            "istio_mutual with a credentialName",
            Https + "tls: {mode: ISTIO_MUTUAL, credentialName: web-cert}",
            "Error ING1111 spec.servers[0].tls.credentialName: ISTIO_MUTUAL TLS cannot have associated credentialName"
        },
        {
            "simple sds with a stray private key",
            Https + "tls: {mode: SIMPLE, credentialName: web-cert, privateKey: /etc/certs/key.pem}",
            Valid
        },
        {
            "mutual sds with a stray server certificate and a CA bundle",
            Https + "tls: {mode: MUTUAL, credentialName: web-cert, serverCertificate: /etc/certs/cert.pem, caCertificates: /etc/certs/ca.pem}",
            Valid
        },
        {
            "simple sds with a server certificate and key as well",
            Https + "tls: {mode: SIMPLE, credentialName: web-cert, serverCertificate: /etc/certs/cert.pem, privateKey: /etc/certs/key.pem}",
            "Error ING1109 spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified, found credentialName and serverCertificate/privateKey"
        },
        {
            "crl with credentialName",
            Https + "tls: {mode: SIMPLE, credentialName: web-cert, caCrl: /etc/certs/crl.pem}",
            Valid
        },
        {
            "crl with simple file certificates",
            Https + "tls: {mode: SIMPLE, serverCertificate: /etc/certs/cert.pem, privateKey: /etc/certs/key.pem, caCrl: /etc/certs/crl.pem}",
            "Error ING1109 spec.servers[0].tls.caCrl: CRL is not supported with SIMPLE TLS"
        },
        {
            "crl with credentialName on a pass-through server",
            "port: {number: 443, name: tls, protocol: TLS}\nhosts: [web.example.com]\ntls: {mode: PASSTHROUGH, credentialName: web-cert, caCrl: /etc/certs/crl.pem}",
            "Warning ING1114 spec.servers[0].tls.mode: PASSTHROUGH mode does not use certificates, they will be ignored\n" +
            "Error ING1109 spec.servers[0].tls.caCrl: CRL is not supported with credentialName. CRL has to be specified in the credential"
        },
        {
            "mutual with file certificates and no CA bundle",
            Https + "tls: {mode: MUTUAL, serverCertificate: /etc/certs/cert.pem, privateKey: /etc/certs/key.pem, caCertificates: ''}",
            "Error ING1110 spec.servers[0].tls.mode: MUTUAL TLS requires a client CA bundle: set caCertificates (or use a credentialName whose Secret holds ca.crt)"
        },
        {
            "cipher suite operators and ALL",
            Https + "tls: {mode: SIMPLE, credentialName: web-cert, cipherSuites: ['-ECDHE-ECDSA-AES128-SHA', ALL, '[ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305]']}",
            Valid
        },
        {
            "unknown and repeated cipher suites",
            Https + "tls: {mode: SIMPLE, credentialName: web-cert, cipherSuites: [not-a-cipher, AES128-SHA, AES128-SHA]}",
            "Warning ING1116 spec.servers[0].tls.cipherSuites: ignoring invalid cipher suites: [not-a-cipher]\n" +
            "Warning ING1116 spec.servers[0].tls.cipherSuites: ignoring duplicate cipher suites: [AES128-SHA]"
        },
        {
            "https redirect with a credentialName on a plain HTTP port",
            Http + "tls: {httpsRedirect: true, credentialName: web-cert}",
            "Warning ING1114 spec.servers[0].tls: PASSTHROUGH mode does not use certificates, they will be ignored (no tls.mode was written, and Istio's default is PASSTHROUGH; write mode: SIMPLE to terminate TLS)"
        },
    };

    [Theory]
    [MemberData(nameof(TlsOptions))]
    public void Tls_options_as_istio_validates_them(string name, string server, string outcome)
    {
        _ = name;
        Check(outcome, Gateway(server));
    }

    /// <summary>validateServer, validateServerPort, validateServerBind: name, server, outcome.</summary>
    public static TheoryData<string, string, string> Servers => new()
    {
        { "bind unix path with port 0", "port: {number: 0, name: http, protocol: HTTP}\nhosts: [web.example.com]\nbind: unix:///var/run/gw.sock", Valid },
        { "bind abstract unix socket", "port: {number: 0, name: http, protocol: HTTP}\nhosts: [web.example.com]\nbind: unix://@gw", Valid },
        { "bind unix path with a port", Http.Replace("80", "8080", StringComparison.Ordinal) + "bind: unix:///var/run/gw.sock", "Error ING1117 spec.servers[0].port.number: port number must be 0 for unix domain socket: 8080 (a server bound to unix:///var/run/gw.sock listens on the socket, not on a port)" },
        { "bind unix relative path", "port: {number: 0, name: http, protocol: HTTP}\nhosts: [web.example.com]\nbind: unix://gw.sock", "Error ING1117 spec.servers[0].bind: gw.sock is not an absolute path to a file" },
        { "bind ip", Http + "bind: 127.0.0.1", Valid },
        { "bind bad ip", Http + "bind: foo.bar", "Error ING1117 spec.servers[0].bind: foo.bar is not a valid IP" },
        { "bind ip with a leading zero", Http + "bind: 127.0.0.01", "Error ING1117 spec.servers[0].bind: 127.0.0.01 is not a valid IP" },
        { "ip host", "port: {number: 80, name: http, protocol: HTTP}\nhosts: [1.1.1.1]", Valid },
        { "upper-case host", "port: {number: 80, name: http, protocol: HTTP}\nhosts: [Web.Example.com]", Valid },
        { "namespace with an empty host", "port: {number: 80, name: http, protocol: HTTP}\nhosts: [ns1/]", "Error ING1103 spec.servers[0].hosts[0]: host \"ns1/\": config namespace and dnsName in host entry cannot be empty\n" +
            "Error ING1103 spec.servers[0].hosts[0]: host \"ns1/\": short names (non FQDN) are not allowed\n" +
            "Error ING1103 spec.servers[0].hosts[0]: host \"ns1/\": empty domain name not allowed" },
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public void Servers_as_istio_validates_them(string name, string server, string outcome)
    {
        _ = name;
        Check(outcome, Gateway(server));
    }
}

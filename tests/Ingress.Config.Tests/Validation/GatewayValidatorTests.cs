using Ingress.Config.Diagnostics;
using static Ingress.Config.Tests.Validation.ValidationTestHelper;

namespace Ingress.Config.Tests.Validation;

public class GatewayValidatorTests
{
    private static string Gateway(string server, string name = "gw") => $$"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: {{name}}
        spec:
          selector:
            istio: ingressgateway
          servers:
        {{server}}
        """;

    private const string HttpsServer = """
          - port:
              number: 443
              name: https
              protocol: HTTPS
            hosts:
            - web.example.com
            tls:
              mode: SIMPLE
              credentialName: web-cert
        """;

    [Fact]
    public void Accepts_the_users_https_gateway_and_an_http_redirect_server()
    {
        var diagnostics = Validate(Gateway(HttpsServer + """

              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*.example.com", "istio-system/api.example.com"]
                tls: {httpsRedirect: true}
            """));

        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("number: 443\n      name: https\n      protocol: HTTPS", "ING1107", "spec.servers[0].port.protocol", 13,
        "spec.servers[0].port.protocol: server must have TLS settings for HTTPS/TLS protocols (add tls with mode SIMPLE and a credentialName to serve HTTPS)")]
    [InlineData("number: 443\n      protocol: HTTP", "ING1105", "spec.servers[0].port.name", 10,
        "spec.servers[0].port.name: port name must be set (for example https-443)")]
    [InlineData("number: 70000\n      name: x\n      protocol: HTTP", "ING1104", "spec.servers[0].port.number", 11,
        "spec.servers[0].port.number: port number 70000 must be in the range 1..65535")]
    [InlineData("number: 80\n      name: x\n      protocol: HTTPX", "ING1104", "spec.servers[0].port.protocol", 13,
        "spec.servers[0].port.protocol: invalid protocol \"HTTPX\", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP")]
    public void Rejects_a_bad_port(string port, string code, string path, int line, string message)
    {
        var diagnostics = Validate(Gateway($"""
              - hosts: [web.example.com]
                port:
                  {port}
            """));

        Assert.Equal([(code, Severity.Error, path, line, message)], Summaries(diagnostics));
    }

    [Theory]
    [InlineData("web", "host \"web\": short names (non FQDN) are not allowed")]
    [InlineData("*bar.com", "host \"*bar.com\": partial wildcard \"*bar.com\" not allowed")]
    [InlineData("~/web.example.com", "host \"~/web.example.com\": invalid namespace value \"~\" in gateway (\"~/\" is only generated for Kubernetes Gateway API resources)")]
    [InlineData("web_1.example.com", "host \"web_1.example.com\": domain name \"web_1.example.com\" invalid (label \"web_1\" invalid)")]
    public void Rejects_a_bad_server_host(string host, string message)
    {
        var diagnostics = Validate(Gateway($"""
              - hosts: ["{host}"]
                port: {"{"}number: 80, name: http, protocol: HTTP{"}"}
            """));

        var finding = Assert.Single(diagnostics);
        Assert.Equal(("ING1103", "spec.servers[0].hosts[0]", 9), (finding.Code, finding.FieldPath, finding.Location.Line));
        Assert.Equal($"spec.servers[0].hosts[0]: {message}", finding.Message);
    }

    [Fact]
    public void Rejects_a_gateway_name_with_dots()
    {
        var diagnostics = Validate(Gateway(HttpsServer, name: "web.gw"));

        Assert.Equal(
            [("ING1101", Severity.Error, "metadata.name", 4,
              "metadata.name: invalid gateway name: \"web.gw\" (a Gateway name must be a DNS-1123 label: lower-case letters, digits and '-', no dots)")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Rejects_duplicate_port_names_and_tls_on_plain_http()
    {
        var diagnostics = Validate(Gateway("""
              - port: {number: 80, name: web, protocol: HTTP}
                hosts: [a.example.com]
              - port: {number: 8080, name: web, protocol: HTTP}
                hosts: [b.example.com]
                tls: {mode: SIMPLE, credentialName: c}
            """));

        Assert.Equal(
            [("ING1108", Severity.Error, "spec.servers[1].tls", 13,
              "spec.servers[1].tls: server cannot have TLS settings for plain text HTTP ports (only tls.httpsRedirect is allowed there)"),
             ("ING1106", Severity.Error, "spec.servers[1].port.name", 11,
              "spec.servers[1].port.name: port names in servers must be unique: duplicate name web")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Rejects_two_certificate_sources_and_mutual_without_a_ca()
    {
        var diagnostics = Validate(Gateway("""
              - port: {number: 443, name: a, protocol: HTTPS}
                hosts: [a.example.com]
                tls:
                  mode: SIMPLE
                  credentialName: a-cert
                  serverCertificate: /etc/certs/a.pem
                  privateKey: /etc/certs/a.key
              - port: {number: 8443, name: b, protocol: HTTPS}
                hosts: [b.example.com]
                tls:
                  mode: MUTUAL
                  serverCertificate: /etc/certs/b.pem
                  privateKey: /etc/certs/b.key
            """));

        Assert.Equal(
            [("ING1109", Severity.Error, "spec.servers[0].tls", 11,
              "spec.servers[0].tls: only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified, found credentialName and serverCertificate/privateKey"),
             ("ING1110", Severity.Error, "spec.servers[1].tls.mode", 19,
              "spec.servers[1].tls.mode: MUTUAL TLS requires a client CA bundle: set caCertificates (or use a credentialName whose Secret holds ca.crt)")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Rejects_simple_tls_without_a_certificate()
    {
        var diagnostics = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com]
                tls: {mode: SIMPLE}
            """));

        Assert.Equal(
            [("ING1109", Severity.Error, "spec.servers[0].tls", 11,
              "spec.servers[0].tls: SIMPLE TLS requires a server certificate: set credentialName to a kubernetes.io/tls Secret in the gateway's namespace, or serverCertificate and privateKey file paths"),
             ("ING1109", Severity.Error, "spec.servers[0].tls", 11, "spec.servers[0].tls: SIMPLE TLS requires a private key")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Warns_that_a_credential_without_a_mode_is_ignored_as_passthrough()
    {
        var diagnostics = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com]
                tls:
                  credentialName: a-cert
            """));

        Assert.Equal(
            [("ING1114", Severity.Warning, "spec.servers[0].tls", 11,
              "spec.servers[0].tls: PASSTHROUGH mode does not use certificates, they will be ignored (no tls.mode was written, and Istio's default is PASSTHROUGH; write mode: SIMPLE to terminate TLS)")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Rejects_istio_mutual_with_certificates_and_inverted_tls_versions()
    {
        var diagnostics = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com]
                tls:
                  mode: ISTIO_MUTUAL
                  credentialName: a-cert
              - port: {number: 8443, name: b, protocol: HTTPS}
                hosts: [b.example.com]
                tls:
                  mode: SIMPLE
                  credentialName: b-cert
                  minProtocolVersion: TLSV1_3
                  maxProtocolVersion: TLSV1_2
            """));

        Assert.Equal(
            [("ING1111", Severity.Error, "spec.servers[0].tls.credentialName", 13,
              "spec.servers[0].tls.credentialName: ISTIO_MUTUAL TLS cannot have associated credentialName"),
             ("ING1112", Severity.Warning, "spec.servers[1].tls.minProtocolVersion", 19,
              "spec.servers[1].tls.minProtocolVersion: minProtocolVersion TLSV1_3 is higher than maxProtocolVersion TLSV1_2, so no TLS version can be negotiated and every handshake fails")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Warns_about_https_redirect_on_a_tls_server()
    {
        var diagnostics = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [a.example.com]
                tls: {mode: SIMPLE, credentialName: a, httpsRedirect: true}
            """));

        Assert.Equal(
            [("ING1113", Severity.Warning, "spec.servers[0].tls.httpsRedirect", 11,
              "spec.servers[0].tls.httpsRedirect: tls.httpsRedirect should only be used with http servers")],
            Summaries(diagnostics));
    }
}

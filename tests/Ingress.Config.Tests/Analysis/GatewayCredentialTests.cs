using Ingress.Config.Analysis;
using Ingress.Config.Loading;

namespace Ingress.Config.Tests.Analysis;

/// <summary>IST0161 and ING2008 with certificates made at test time (expired, not yet valid, wrong key, no CA).</summary>
public class GatewayCredentialTests
{
    private const string Gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: edge
          namespace: istio-system
        spec:
          selector:
            istio: ingressgateway
          servers:
            - port:
                number: 443
                name: https
                protocol: HTTPS
              hosts:
                - www.kuopenx.io
              tls:
                mode: MODE
                credentialName: www-credential

        """;

    private static List<string> Analyze(string secretYaml, string mode = "SIMPLE", string credentialName = "www-credential")
    {
        var yaml = Gateway.Replace("MODE", mode, StringComparison.Ordinal)
            .Replace("credentialName: www-credential", $"credentialName: \"{credentialName}\"", StringComparison.Ordinal) + "---\n" + secretYaml;
        var load = ConfigLoader.LoadText(yaml, "edge.yaml", new LoadOptions());
        Assert.Empty(load.Diagnostics);
        return AnalyzerRegistry.Run(new AnalysisContext { Config = load.Config })
            .Select(d => $"{d.Code} {d.FieldPath} {d.Location.Line}: {d.Message}")
            .ToList();
    }

    private const string Invalid =
        "IST0161 spec.servers[0].tls.credentialName 18: The credential referenced by the Gateway edge in namespace istio-system " +
        "is invalid, which can cause the traffic not to work as expected. Secret istio-system/www-credential: ";

    [Fact]
    public void Accepts_a_valid_certificate_and_key()
    {
        var (cert, key) = TestCertificates.Valid("www.kuopenx.io");

        Assert.Empty(Analyze(TestCertificates.SecretYaml("www-credential", "istio-system", cert, key)));
    }

    [Theory]
    [InlineData("kubernetes://www-credential")]
    [InlineData("istio-system/www-credential")]
    [InlineData("kubernetes://istio-system/www-credential")]
    public void Reads_every_credential_name_form_as_istios_parse_resource_name(string credentialName)
    {
        var (cert, key) = TestCertificates.Valid("www.kuopenx.io");

        Assert.Empty(Analyze(TestCertificates.SecretYaml("www-credential", "istio-system", cert, key), credentialName: credentialName));
    }

    [Fact]
    public void Rejects_an_expired_certificate()
    {
        var notAfter = new DateTimeOffset(DateTimeOffset.UtcNow.Year - 1, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var (cert, key) = TestCertificates.Create("www.kuopenx.io", notAfter.AddYears(-1), notAfter);

        Assert.Equal(
            [Invalid + $"the certificate in tls.crt expired on {notAfter:yyyy-MM-dd}T12:00:00Z. Renew it and update the Secret."],
            Analyze(TestCertificates.SecretYaml("www-credential", "istio-system", cert, key)));
    }

    [Fact]
    public void Rejects_a_certificate_that_is_not_valid_yet()
    {
        var notBefore = new DateTimeOffset(DateTimeOffset.UtcNow.Year + 1, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var (cert, key) = TestCertificates.Create("www.kuopenx.io", notBefore, notBefore.AddYears(1));

        Assert.Equal(
            [Invalid + $"the certificate in tls.crt is not valid before {notBefore:yyyy-MM-dd}T00:00:00Z. Check the clock of the issuer or issue a new certificate."],
            Analyze(TestCertificates.SecretYaml("www-credential", "istio-system", cert, key)));
    }

    [Fact]
    public void Rejects_a_key_that_does_not_belong_to_the_certificate()
    {
        var (cert, _) = TestCertificates.Valid("www.kuopenx.io");
        var (_, otherKey) = TestCertificates.Valid("www.kuopenx.io");

        Assert.Equal(
            [Invalid + "tls.key is not a PEM private key matching the certificate in tls.crt. Put the certificate's own private key there."],
            Analyze(TestCertificates.SecretYaml("www-credential", "istio-system", cert, otherKey)));
    }

    [Fact]
    public void Rejects_mutual_tls_without_a_ca_certificate()
    {
        var (cert, key) = TestCertificates.Valid("www.kuopenx.io");

        Assert.Equal(
            ["ING2008 spec.servers[0].tls.mode 17: Server spec.servers[0] uses tls.mode MUTUAL with credentialName www-credential, " +
             "but neither Secret istio-system/www-credential-cacert nor a ca.crt/cacert key in Secret istio-system/www-credential " +
             "holds the CA to verify client certificates. Add the CA certificate under key ca.crt in Secret " +
             "istio-system/www-credential, or create Secret istio-system/www-credential-cacert."],
            Analyze(TestCertificates.SecretYaml("www-credential", "istio-system", cert, key), "MUTUAL"));
    }

    [Fact]
    public void Accepts_mutual_tls_with_a_ca_certificate_in_the_secret()
    {
        var (cert, key) = TestCertificates.Valid("www.kuopenx.io");
        var (ca, _) = TestCertificates.Valid("clients.kuopenx.io");

        Assert.Empty(Analyze(TestCertificates.SecretYaml("www-credential", "istio-system", cert, key, ca), "MUTUAL"));
    }
}

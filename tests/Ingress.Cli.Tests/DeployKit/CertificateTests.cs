namespace Ingress.Cli.Tests.DeployKit;

/// <summary>The cert-manager objects: each chain from Certificate to Issuer is complete and lands where the Gateway reads.</summary>
public sealed class CertificateTests
{
    [KubectlTheory]
    [InlineData("dev", "httpserver-ca")]
    [InlineData("production", "letsencrypt-prod")]
    public void Gateway_certificate_is_issued_into_the_secret_the_gateway_reads(string overlay, string issuer)
    {
        var objects = Manifest.RenderOverlay(overlay);
        var certificate = objects.Single("Certificate", "istio-system", "httpserver");
        var gateway = objects.Single("Gateway", "istio-system", "httpsserver");

        Assert.Equal(gateway.Scalar("spec.servers.0.tls.credentialName"), certificate.Scalar("spec.secretName"));
        Assert.Equal("httpserver-credential", certificate.Scalar("spec.secretName"));
        Assert.Equal("Issuer", certificate.Scalar("spec.issuerRef.kind"));
        Assert.Equal(issuer, certificate.Scalar("spec.issuerRef.name"));
        // An Issuer is namespaced: it must be in the Certificate's namespace.
        objects.Single("Issuer", "istio-system", issuer);
        Assert.Equal(
            new[] { "httpsserver.kuopenx.io" },
            certificate.Sequence("spec.dnsNames").Select(n => ((YamlDotNet.RepresentationModel.YamlScalarNode)n).Value));
        Assert.Equal("Always", certificate.Scalar("spec.privateKey.rotationPolicy"));
        Assert.Equal(
            new[] { "digital signature", "key encipherment", "server auth" },
            certificate.Sequence("spec.usages").Select(n => ((YamlDotNet.RepresentationModel.YamlScalarNode)n).Value));
    }

    [KubectlFact]
    public void Development_ca_chain_runs_from_the_self_signed_root_to_the_ca_issuer()
    {
        var objects = Manifest.RenderOverlay("dev");
        var issuer = objects.Single("Issuer", "istio-system", "httpserver-ca");
        var root = objects.Single("Certificate", "istio-system", "httpserver-root-ca");
        var selfSigned = objects.Single("ClusterIssuer", null, "selfsigned");

        Assert.Equal(root.Scalar("spec.secretName"), issuer.Scalar("spec.ca.secretName"));
        Assert.Equal("true", root.Scalar("spec.isCA"));
        Assert.Equal("ClusterIssuer", root.Scalar("spec.issuerRef.kind"));
        Assert.Equal(selfSigned.Name, root.Scalar("spec.issuerRef.name"));
        Assert.NotNull(selfSigned.Node("spec.selfSigned"));
    }

    [KubectlFact]
    public void Lets_encrypt_issuers_use_the_staging_and_production_directories()
    {
        var objects = Manifest.RenderOverlay("production");

        Assert.Equal(
            "https://acme-staging-v02.api.letsencrypt.org/directory",
            objects.Single("Issuer", "istio-system", "letsencrypt-staging").Scalar("spec.acme.server"));
        Assert.Equal(
            "https://acme-v02.api.letsencrypt.org/directory",
            objects.Single("Issuer", "istio-system", "letsencrypt-prod").Scalar("spec.acme.server"));
    }
}

using Ingress.Config.Credentials;

namespace Ingress.Config.Tests.Credentials;

/// <summary>
/// Which Secret a credentialName names, as Istio's <c>ToResourceName</c> then <c>ParseResourceName</c>
/// (pilot/pkg/model/credentials/resource.go) read it for a proxy in namespace istio-system.
/// </summary>
public sealed class CredentialNameTests
{
    [Theory]
    [InlineData("cert", "istio-system", "cert")]
    [InlineData("kubernetes://cert", "istio-system", "cert")]
    [InlineData("web/cert", "web", "cert")]
    [InlineData("kubernetes://web/cert", "web", "cert")]
    [InlineData("kubernetes-gateway://web/cert", "web", "cert")]
    [InlineData("kubernetes://web/cert/extra", "web", "cert")]
    public void A_credential_name_names_a_secret(string credentialName, string expectedNamespace, string expectedName) =>
        Assert.Equal((expectedNamespace, expectedName), CredentialName.SecretOf(credentialName, "istio-system"));

    [Theory]
    [InlineData("builtin://")]
    [InlineData("kubernetes-gateway://cert")]
    [InlineData("kubernetes-gateway:///cert")]
    [InlineData("kubernetes-gateway://web/")]
    public void Builtin_and_a_gateway_resource_without_namespace_and_name_name_no_secret(string credentialName) =>
        Assert.Null(CredentialName.SecretOf(credentialName, "istio-system"));
}

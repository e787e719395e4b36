using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>The kit's JWT policy on /test/secure, enforced by the gateway `ingress up` starts.</summary>
[Collection(LocalSystemGroup.Name)]
public sealed class PolicyTests(LocalSystemFixture system)
{
    private const string Issuer = "https://local-test-issuer.httpserver.test";
    private const string KeyId = "httpserver-local-test";

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused_with_401()
    {
        using var otherKey = RSA.Create(2048);
        using var client = system.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, system.Https("/test/secure"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Sign(otherKey, Issuer, "httpserver"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt verification fails", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_without_a_token_is_denied_with_403()
    {
        using var client = system.CreateClient();

        using var response = await client.GetAsync(system.Https("/test/secure"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_from_the_local_test_issuer_is_let_through()
    {
        using var key = RSA.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Fixtures, "jwt", "test-only-private-key.pem")));
        using var client = system.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, system.Https("/test/secure"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Sign(key, Issuer, "httpserver"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Sign(RSA key, string issuer, string audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId });
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["sub"] = "e2e-test",
            ["aud"] = audience,
            ["iat"] = now,
            ["exp"] = now + 300,
        });
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header))}.{Base64Url(Encoding.UTF8.GetBytes(payload))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

using System.Net;
using System.Net.Http.Headers;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Security;

/// <summary>RequestAuthentication at the gateway over real sockets: Envoy's statuses, bodies and headers.</summary>
public sealed class JwtAtGatewayTests : IAsyncLifetime
{
    private readonly TestIssuer _issuer = TestIssuer.Rsa();
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _backend = await RecordingBackend.StartAsync("httpserver");
        _backend.On("/hello", 200, "hello.");
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        _issuer.Dispose();
    }

    private Task<GatewayHarness> StartAsync(string extraRule = "", string more = "") =>
        GatewayHarness.StartAsync(SecurityYaml.Gateway() + SecurityYaml.RequestAuthentication(_issuer.Issuer, _issuer.Jwks(), extraRule) + more,
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"], defaultNamespace: "istio-system");

    private static async Task<HttpResponseMessage> GetAsync(GatewayHarness gateway, string? token, string path = "/hello")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://app.example.com" + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await gateway.Client(80).SendAsync(request);
    }

    [Fact]
    public async Task Valid_token_passes_and_the_token_header_is_removed_upstream()
    {
        await using var gateway = await StartAsync();

        var response = await GetAsync(gateway, _issuer.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
        Assert.Null(_backend.Last.Header("authorization"));
    }

    [Fact]
    public async Task Request_without_a_token_passes()
    {
        await using var gateway = await StartAsync();

        var response = await GetAsync(gateway, null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Expired_token_is_refused_with_401_Jwt_is_expired_and_www_authenticate()
    {
        await using var gateway = await StartAsync();
        var past = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();

        var response = await GetAsync(gateway, _issuer.Token(new { exp = past }), "/hello?x=1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt is expired", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("Bearer realm=\"http://app.example.com/hello?x=1\", error=\"invalid_token\"",
            string.Join(",", response.Headers.GetValues("www-authenticate")));
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
        Assert.Empty(_backend.Requests);
        var line = await gateway.AccessLog.WaitForLineAsync("/hello?x=1");
        Assert.Contains(" 401 - jwt_authn_access_denied{Jwt_is_expired} ", line);
    }

    [Fact]
    public async Task Token_not_yet_valid_is_refused_with_401()
    {
        await using var gateway = await StartAsync();
        var future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

        var response = await GetAsync(gateway, _issuer.Token(new { nbf = future }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt not yet valid", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Envoy's jwt_authn allows 60 s of clock skew on exp and nbf when clock_skew_seconds is unset (config.proto:
    /// "If not specified, default is 60 seconds"; source/common/jwt/jwt.h kClockSkewInSecond = 60), and Istio's
    /// RequestAuthentication has no field to set it. jwt.cc verifyTimeConstraint: not yet valid when now + skew &lt; nbf,
    /// expired when now &gt; exp + skew. The cases are 30 s inside that window, and 30 s beyond it.
    /// </summary>
    [Theory]
    [InlineData("exp", -30, 200, "hello.")]
    [InlineData("exp", 30, 200, "hello.")]
    [InlineData("nbf", 30, 200, "hello.")]
    [InlineData("exp", -90, 401, "Jwt is expired")]
    [InlineData("nbf", 90, 401, "Jwt not yet valid")]
    public async Task Exp_and_nbf_are_checked_with_envoys_60_second_clock_skew(string claim, int secondsFromNow, int status, string body)
    {
        await using var gateway = await StartAsync();
        var at = DateTimeOffset.UtcNow.AddSeconds(secondsFromNow).ToUnixTimeSeconds();

        // The other claim keeps the issuer's default (exp an hour ahead, no nbf).
        var response = await GetAsync(gateway, _issuer.Token(new Dictionary<string, long> { [claim] = at }));

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_of_an_unknown_issuer_is_refused_with_401_Jwt_issuer_is_not_configured()
    {
        await using var gateway = await StartAsync();

        var response = await GetAsync(gateway, _issuer.Token(new { iss = "https://other.test" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt issuer is not configured", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_for_another_audience_is_refused_with_403_Audiences_in_Jwt_are_not_allowed()
    {
        await using var gateway = await StartAsync();

        var response = await GetAsync(gateway, _issuer.Token(new { aud = "someone-else" }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Audiences in Jwt are not allowed", await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer realm=\"http://app.example.com/hello\", error=\"invalid_token\"",
            string.Join(",", response.Headers.GetValues("www-authenticate")));
    }

    [Fact]
    public async Task Token_with_a_bad_signature_is_refused_with_401_Jwt_verification_fails()
    {
        await using var gateway = await StartAsync();
        var token = _issuer.Token();
        var tampered = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];

        var response = await GetAsync(gateway, tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt verification fails", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Token_signed_by_an_unknown_key_is_refused_with_401_no_matching_key()
    {
        await using var gateway = await StartAsync();
        using var stranger = TestIssuer.Rsa(_issuer.Issuer, "unknown-kid");

        var response = await GetAsync(gateway, stranger.Token());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwks doesn't have key to match kid or alg from Jwt", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Malformed_token_is_refused_with_401_bad_format()
    {
        await using var gateway = await StartAsync();

        var response = await GetAsync(gateway, "not-a-jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt is not in the form of Header.Payload.Signature", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_token_is_refused_403_when_a_policy_requires_a_request_principal()
    {
        await using var gateway = await StartAsync(more: SecurityYaml.Policy("ALLOW", "- from:\n  - source:\n      requestPrincipals: [\"*\"]"));

        var without = await GetAsync(gateway, null);
        var with = await GetAsync(gateway, _issuer.Token());

        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Equal("RBAC: access denied", await without.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        var line = await gateway.AccessLog.WaitForLineAsync(" 403 ");
        Assert.Contains("rbac_access_denied_matched_policy[none]", line);
    }

    [Fact]
    public async Task Forwarded_token_payload_and_claim_headers_reach_the_upstream()
    {
        const string extra = "    forwardOriginalToken: true\n    outputPayloadToHeader: x-jwt-payload\n" +
                             "    outputClaimToHeaders:\n    - header: x-jwt-sub\n      claim: sub\n    - header: x-jwt-level\n      claim: level";
        await using var gateway = await StartAsync(extra);
        var token = _issuer.Token(new { level = 3 });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://app.example.com/hello");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-jwt-sub", "spoofed");

        var response = await gateway.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = _backend.Last;
        Assert.Equal("Bearer " + token, seen.Header("authorization"));
        Assert.Equal(token.Split('.')[1], seen.Header("x-jwt-payload"));
        Assert.Equal("alice", seen.Header("x-jwt-sub"));
        Assert.Equal("3", seen.Header("x-jwt-level"));
    }

    [Fact]
    public async Task Token_in_a_custom_header_with_prefix_and_in_a_query_parameter_is_found()
    {
        const string extra = "    fromHeaders:\n    - name: x-token\n      prefix: \"Token \"\n    fromParams: [t]";
        await using var gateway = await StartAsync(extra);
        var expired = _issuer.Token(new { exp = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds() });
        using var header = new HttpRequestMessage(HttpMethod.Get, "http://app.example.com/hello");
        header.Headers.Add("x-token", "Token " + expired);

        var fromHeader = await gateway.Client(80).SendAsync(header);
        var fromQuery = await GetAsync(gateway, null, "/hello?t=" + _issuer.Token());
        var defaultIgnored = await GetAsync(gateway, expired);

        Assert.Equal(HttpStatusCode.Unauthorized, fromHeader.StatusCode);
        Assert.Equal("Jwt is expired", await fromHeader.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, fromQuery.StatusCode);
        Assert.Equal("/hello", _backend.Last.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, defaultIgnored.StatusCode);
    }

    [Fact]
    public async Task ES256_tokens_are_verified()
    {
        using var ec = TestIssuer.EcP256("https://ec.test");
        await using var gateway = await GatewayHarness.StartAsync(SecurityYaml.Gateway() + SecurityYaml.RequestAuthentication(ec.Issuer, ec.Jwks()),
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"], defaultNamespace: "istio-system");
        var token = ec.Token();
        var tampered = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];

        var good = await GetAsync(gateway, token);
        var bad = await GetAsync(gateway, tampered);

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("Jwt verification fails", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Keys_rotated_at_the_jwks_uri_are_picked_up_without_a_restart()
    {
        using var second = TestIssuer.Rsa(_issuer.Issuer, "rsa-2");
        var current = _issuer.Jwks();
        await using var keys = await RecordingBackend.StartAsync("issuer");
        keys.On("/jwks", async c => await c.Response.WriteAsync(Volatile.Read(ref current)));
        var yaml = SecurityYaml.Gateway() + $$"""
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: jwt
              namespace: istio-system
            spec:
              jwtRules:
              - issuer: "{{_issuer.Issuer}}"
                jwksUri: "http://127.0.0.1:{{keys.Port}}/jwks"
            """;
        await using var gateway = await GatewayHarness.StartAsync(yaml,
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"], defaultNamespace: "istio-system");

        var before = await GetAsync(gateway, _issuer.Token());
        var newKeyBeforeRotation = await GetAsync(gateway, second.Token());
        Volatile.Write(ref current, second.Jwks());

        // The issuer's new key is fetched when a token names it (at most once a second), so poll with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage after;
        do
        {
            after = await GetAsync(gateway, second.Token());
        }
        while (after.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, newKeyBeforeRotation.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}

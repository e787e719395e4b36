using System.Net;
using System.Net.Http.Headers;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Security;

/// <summary>Routing on verified JWT claims (<c>@request.auth.claims</c> header matches) over real sockets.</summary>
public sealed class ClaimRoutingTests : IAsyncLifetime
{
    private readonly TestIssuer _issuer = TestIssuer.Rsa();
    private readonly TestIssuer _stranger = TestIssuer.Rsa();
    private RecordingBackend _admins = null!;
    private RecordingBackend _everyone = null!;

    public async Task InitializeAsync()
    {
        _admins = await RecordingBackend.StartAsync("admins");
        _everyone = await RecordingBackend.StartAsync("everyone");
    }

    public async Task DisposeAsync()
    {
        await _admins.DisposeAsync();
        await _everyone.DisposeAsync();
        _issuer.Dispose();
        _stranger.Dispose();
    }

    private Task<GatewayHarness> StartAsync() => GatewayHarness.StartAsync("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: istio-system}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:
          - match:
            - headers:
                "@request.auth.claims.group": {exact: admins}
            - headers:
                "@request.auth.claims[realm][role]": {prefix: own}
            route:
            - destination: {host: admins.apps.svc.cluster.local, port: {number: 80}}
          - route:
            - destination: {host: everyone.apps.svc.cluster.local, port: {number: 80}}

        """ + SecurityYaml.RequestAuthentication(_issuer.Issuer, _issuer.Jwks()),
        [$"admins.apps.svc.cluster.local:80=http://127.0.0.1:{_admins.Port}", $"everyone.apps.svc.cluster.local:80=http://127.0.0.1:{_everyone.Port}"],
        defaultNamespace: "istio-system");

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(GatewayHarness gateway, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://app.example.com/report");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await gateway.Client(80).SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_verified_claim_selects_the_route()
    {
        await using var gateway = await StartAsync();

        Assert.Equal((HttpStatusCode.OK, "admins /report"), await GetAsync(gateway, _issuer.Token(new { group = "admins" })));
        Assert.Equal((HttpStatusCode.OK, "admins /report"), await GetAsync(gateway, _issuer.Token(new { group = new[] { "users", "admins" } })));
        Assert.Equal((HttpStatusCode.OK, "admins /report"), await GetAsync(gateway, _issuer.Token(new { realm = new { role = "owner" } })));
        Assert.Equal((HttpStatusCode.OK, "everyone /report"), await GetAsync(gateway, _issuer.Token(new { group = "users" })));
    }

    [Fact]
    public async Task Without_a_token_the_claim_route_does_not_match()
    {
        await using var gateway = await StartAsync();

        Assert.Equal((HttpStatusCode.OK, "everyone /report"), await GetAsync(gateway, null));
    }

    [Fact]
    public async Task A_header_that_looks_like_the_claim_does_not_select_the_route()
    {
        await using var gateway = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://app.example.com/report");
        request.Headers.TryAddWithoutValidation("@request.auth.claims.group", "admins");

        using var response = await gateway.Client(80).SendAsync(request);

        Assert.Equal("everyone /report", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_with_the_claim_but_a_bad_signature_is_refused_before_routing()
    {
        await using var gateway = await StartAsync();

        Assert.Equal((HttpStatusCode.Unauthorized, "Jwt verification fails"),
            await GetAsync(gateway, _stranger.Token(new { group = "admins" })));
        Assert.Empty(_admins.Requests);
    }
}

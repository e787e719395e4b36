using System.Net;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Policies;

/// <summary>VirtualService corsPolicy as Envoy's CORS filter applies it: preflights answered here, headers on replies.</summary>
public sealed class CorsTests : IAsyncLifetime
{
    private const string Policy = """
          - corsPolicy:
              allowOrigins: [{exact: "https://app.example.com"}, {prefix: "https://dev-"}, {regex: "https://[a-z]+\\.partner\\.io"}]
              allowMethods: [POST, GET]
              allowHeaders: [X-Foo-Bar, X-Foo-Baz]
              exposeHeaders: [X-Trace]
              maxAge: 24h
              allowCredentials: true
            route: [{destination: {host: svc}}]
        """;

    private RecordingBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await RecordingBackend.StartAsync("svc");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private static HttpRequestMessage Preflight(string path, string origin, string method = "PUT")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "http://x" + path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "x-custom");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("https://dev-42.example.com")]
    [InlineData("https://shop.partner.io")]
    public async Task Preflight_from_an_allowed_origin_is_answered_by_the_gateway(string origin)
    {
        await using var gw = await PolicyYaml.StartAsync(Policy, PolicyYaml.Endpoint(_backend));

        using var request = Preflight("/items", origin);
        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, Header(response, "access-control-allow-origin"));
        Assert.Equal("POST,GET", Header(response, "access-control-allow-methods"));
        Assert.Equal("X-Foo-Bar,X-Foo-Baz", Header(response, "access-control-allow-headers"));
        Assert.Equal("86400", Header(response, "access-control-max-age"));
        Assert.Equal("true", Header(response, "access-control-allow-credentials"));
        Assert.Null(Header(response, "access-control-expose-headers"));
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(_backend.Requests);
        Assert.Contains("\"OPTIONS /items HTTP/1.1\" 200 - cors_response ", await gw.AccessLog.WaitForLineAsync("/items"));
    }

    [Fact]
    public async Task Request_from_an_allowed_origin_gets_allow_origin_credentials_and_expose_headers()
    {
        await using var gw = await PolicyYaml.StartAsync(Policy, PolicyYaml.Endpoint(_backend));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/items");
        request.Headers.Add("Origin", "https://app.example.com");

        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("svc /items", await response.Content.ReadAsStringAsync());
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));
        Assert.Equal("true", Header(response, "access-control-allow-credentials"));
        Assert.Equal("X-Trace", Header(response, "access-control-expose-headers"));
        Assert.Null(Header(response, "access-control-allow-methods"));
        Assert.Equal("https://app.example.com", _backend.Last.Header("origin"));
    }

    [Fact]
    public async Task Local_reply_to_an_allowed_origin_gets_the_cors_headers_too()
    {
        await using var gw = await PolicyYaml.StartAsync(Policy.Replace("host: svc", "host: nowhere", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/items");
        request.Headers.Add("Origin", "https://app.example.com");

        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));
    }

    [Fact]
    public async Task Request_from_another_origin_gets_no_cors_headers()
    {
        await using var gw = await PolicyYaml.StartAsync(Policy, PolicyYaml.Endpoint(_backend));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://x/items");
        request.Headers.Add("Origin", "https://evil.example.org");

        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Unmatched_preflight_is_forwarded_by_default()
    {
        await using var gw = await PolicyYaml.StartAsync(Policy, PolicyYaml.Endpoint(_backend));

        using var request = Preflight("/items", "https://evil.example.org");
        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("svc /items", await response.Content.ReadAsStringAsync());
        Assert.Equal("OPTIONS", _backend.Last.Method);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(" 200 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/items"));
    }

    [Fact]
    public async Task Unmatched_preflight_with_IGNORE_is_answered_without_allow_origin()
    {
        await using var gw = await PolicyYaml.StartAsync(Policy.Replace("allowCredentials: true", "allowCredentials: true\n      unmatchedPreflights: IGNORE", StringComparison.Ordinal),
            PolicyYaml.Endpoint(_backend));

        using var request = Preflight("/items", "https://evil.example.org");
        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "access-control-allow-origin"));
        Assert.Equal("POST,GET", Header(response, "access-control-allow-methods"));
        Assert.Equal("true", Header(response, "access-control-allow-credentials"));
        Assert.Empty(_backend.Requests);
        Assert.Contains(" 200 - cors_response ", await gw.AccessLog.WaitForLineAsync("/items"));
    }

    [Fact]
    public async Task Wildcard_methods_and_headers_echo_what_the_preflight_asked_for()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - corsPolicy:
                  allowOrigins: [{exact: "*"}]
                  allowMethods: ["*"]
                  allowHeaders: ["*"]
                route: [{destination: {host: svc}}]
            """, PolicyYaml.Endpoint(_backend));

        using var request = Preflight("/any", "https://whoever.example", "DELETE");
        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://whoever.example", Header(response, "access-control-allow-origin"));
        Assert.Equal("DELETE", Header(response, "access-control-allow-methods"));
        Assert.Equal("x-custom", Header(response, "access-control-allow-headers"));
        Assert.Null(Header(response, "access-control-allow-credentials"));
        Assert.Null(Header(response, "access-control-max-age"));
        Assert.Empty(_backend.Requests);
    }

    [Fact]
    public async Task Options_without_a_requested_method_is_not_a_preflight()
    {
        await using var gw = await PolicyYaml.StartAsync(Policy, PolicyYaml.Endpoint(_backend));
        using var request = new HttpRequestMessage(HttpMethod.Options, "http://x/items");
        request.Headers.Add("Origin", "https://app.example.com");

        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OPTIONS", _backend.Last.Method);
        Assert.Equal("https://app.example.com", Header(response, "access-control-allow-origin"));
    }

    [Fact]
    public async Task Fault_abort_comes_before_cors_and_has_no_cors_headers()
    {
        await using var gw = await PolicyYaml.StartAsync(Policy.Replace("    route:", "    fault: {abort: {httpStatus: 503, percentage: {value: 100}}}\n    route:", StringComparison.Ordinal),
            PolicyYaml.Endpoint(_backend));

        using var request = Preflight("/items", "https://app.example.com");
        using var response = await gw.Client(80).SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("fault filter abort", await response.Content.ReadAsStringAsync());
        Assert.Null(Header(response, "access-control-allow-origin"));
    }
}

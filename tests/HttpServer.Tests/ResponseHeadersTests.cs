using System.Net;
using HttpServer.Headers;
using HttpServer.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace HttpServer.Tests;

public sealed class ResponseHeadersTests
{
    [Fact]
    public async Task Copies_request_headers_into_the_response_and_sets_Version_from_VERSION()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string> { ["VERSION"] = "v1.0-metrics" });
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("X-Custom", "abc");
        request.Headers.Add("X-Multi", ["1", "2"]);
        request.Headers.Add("Accept-Language", "fr");

        using var response = await client.SendAsync(request);

        Assert.Equal(["abc"], response.Headers.GetValues("X-Custom"));
        Assert.Equal("1, 2", string.Join(", ", response.Headers.GetValues("X-Multi")));
        Assert.Equal(["fr"], response.Headers.GetValues("Accept-Language"));
        Assert.Equal(["v1.0-metrics"], response.Headers.GetValues("Version"));
    }

    [Fact]
    public async Task A_request_header_named_Version_never_overwrites_the_service_version()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string> { ["VERSION"] = "2.0.0" });
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.TryAddWithoutValidation("Version", "evil");

        using var response = await client.SendAsync(request);

        Assert.Equal(["2.0.0"], response.Headers.GetValues("Version"));
    }

    [Fact]
    public async Task Version_defaults_to_unknown_when_VERSION_is_unset()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(["unknown"], response.Headers.GetValues("Version"));
    }

    [Fact]
    public async Task Credentials_are_never_echoed()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer secret");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic secret");
        request.Headers.TryAddWithoutValidation("Cookie", "session=secret");

        using var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Authorization"));
        Assert.False(response.Headers.Contains("Proxy-Authorization"));
        Assert.False(response.Headers.Contains("Cookie"));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Error_and_probe_responses_carry_the_copied_headers_too()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string> { ["VERSION"] = "3" });
        using var client = factory.CreateClient();

        foreach (var path in new[] { "/status/503", "/healthz", "/metrics", "/no-such-path" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Trace-Me", "yes");
            using var response = await client.SendAsync(request);
            Assert.Equal(["yes"], response.Headers.GetValues("X-Trace-Me"));
            Assert.Equal(["3"], response.Headers.GetValues("Version"));
        }
    }

    [Fact]
    public async Task Copied_headers_are_in_place_before_the_body_is_written_over_a_real_socket()
    {
        await using var server = await RunningServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/delay/0");
        request.Headers.Add("X-Early", "1");

        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["1"], response.Headers.GetValues("X-Early"));
        Assert.Equal(["unknown"], response.Headers.GetValues("Version"));
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("Cookie")]
    [InlineData("Set-Cookie")]
    [InlineData("Connection")]
    [InlineData("Keep-Alive")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Upgrade")]
    [InlineData("Proxy-Connection")]
    [InlineData("Content-Length")]
    [InlineData("Content-Type")]
    [InlineData("Content-Encoding")]
    [InlineData("Content-Language")]
    [InlineData("Host")]
    [InlineData("Expect")]
    [InlineData("keep-alive")]
    public void Excluded_headers_are_not_copied(string name)
    {
        var request = new HeaderDictionary { [name] = "value", ["X-Kept"] = "kept" };
        var response = new HeaderDictionary();

        ResponseHeadersMiddleware.Apply(request, response, "1.0");

        Assert.False(response.ContainsKey(name));
        Assert.Equal("kept", response["X-Kept"]);
        Assert.Equal("1.0", response["Version"]);
    }

    [Fact]
    public void A_header_the_endpoint_set_is_not_replaced_by_the_request_copy()
    {
        var request = new HeaderDictionary { ["Cache-Control"] = "no-cache" };
        var response = new HeaderDictionary { ["Cache-Control"] = "max-age=60" };

        ResponseHeadersMiddleware.Apply(request, response, "1.0");

        Assert.Equal("max-age=60", response["Cache-Control"]);
    }
}

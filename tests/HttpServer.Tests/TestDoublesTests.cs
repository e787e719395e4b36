using System.Net;
using System.Text.Json;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed class TestDoublesTests
{
    [Fact]
    public async Task Headers_lists_the_request_headers_as_json_with_credentials_redacted()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Add("X-Test", ["one", "two"]);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer secret-token");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic c2VjcmV0");
        request.Headers.TryAddWithoutValidation("Cookie", "session=secret");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var headers = JsonSerializer.Deserialize<Dictionary<string, string[]>>(body)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["one", "two"], headers["X-Test"]);
        Assert.Equal(["[redacted]"], headers["Authorization"]);
        Assert.Equal(["[redacted]"], headers["Proxy-Authorization"]);
        Assert.Equal(["[redacted]"], headers["Cookie"]);
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(404)]
    [InlineData(503)]
    [InlineData(599)]
    public async Task Status_answers_the_requested_code(int code)
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri($"/status/{code}", UriKind.Relative));

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("100")]
    [InlineData("199")]
    [InlineData("600")]
    [InlineData("abc")]
    public async Task Status_rejects_codes_outside_200_to_599(string code)
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri($"/status/{code}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"\"status code must be a number from 200 to 599; got '{code}'.\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delay_waits_then_answers_with_the_delay()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();
        var started = TimeProvider.System.GetTimestamp();

        using var response = await client.GetAsync(new Uri("/delay/0.2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"delaySeconds\":0.2}", await response.Content.ReadAsStringAsync());
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(190));
    }

    [Theory]
    [InlineData("61")]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("soon")]
    public async Task Delay_rejects_values_outside_the_limit(string seconds)
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri($"/delay/{seconds}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"\"delay must be a number of seconds from 0 to 60; got '{seconds}'.\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Delay_is_cancelled_when_the_client_goes_away()
    {
        await using var server = await RunningServer.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Client.GetAsync(new Uri("/delay/30", UriKind.Relative), cts.Token));

        var line = await server.AccessLog.WaitForAsync(l => l.Contains("\"path\":\"/delay/30\"", StringComparison.Ordinal));
        Assert.Contains("\"status\":499", line[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_answers_the_VERSION_value()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string> { ["VERSION"] = "1.4.2" });
        using var client = factory.CreateClient();

        Assert.Equal("{\"version\":\"1.4.2\"}", await client.GetStringAsync(new Uri("/version", UriKind.Relative)));
    }

    [Fact]
    public async Task Test_doubles_can_be_switched_off()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string> { ["TestDoubles:Enabled"] = "false" });
        using var client = factory.CreateClient();

        foreach (var path in new[] { "/headers", "/status/500", "/delay/1", "/version" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var disable = await client.PostAsync(new Uri("/readyz/disable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, disable.StatusCode);
        Assert.Equal("hello.", await client.GetStringAsync(new Uri("/hello", UriKind.Relative)));
    }
}

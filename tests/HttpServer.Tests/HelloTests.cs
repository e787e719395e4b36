using System.Net;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed class HelloTests
{
    [Fact]
    public async Task Hello_answers_hello_dot_as_plain_text()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Hello_with_a_random_delay_still_answers_hello_dot()
    {
        await using var factory = new ServiceFactory(new Dictionary<string, string> { ["Hello:MaxDelayMs"] = "30" });
        using var client = factory.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("hello.", await client.GetStringAsync(new Uri("/hello", UriKind.Relative)));
        }
    }
}

using Microsoft.AspNetCore.Mvc.Testing;

namespace HttpServer.Tests;

public sealed class HelloTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Hello_answers_hello_dot()
    {
        using var client = factory.CreateClient();
        var body = await client.GetStringAsync(new Uri("/hello", UriKind.Relative));
        Assert.Equal("hello.", body);
    }
}

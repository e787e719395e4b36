using System.Net;
using HttpServer.Tests.Support;

namespace HttpServer.Tests;

public sealed class ProbesTests
{
    [Fact]
    public async Task Healthz_answers_200_Healthy()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_answers_200_Healthy_when_ready()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_fails_after_disable_and_recovers_after_enable_while_healthz_stays_up()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var disable = await client.PostAsync(new Uri("/readyz/disable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal("\"readiness disabled.\"", await disable.Content.ReadAsStringAsync());

        using (var notReady = await client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Equal("Unhealthy", await notReady.Content.ReadAsStringAsync());
        }

        using (var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using var enable = await client.PostAsync(new Uri("/readyz/enable", UriKind.Relative), null);
        Assert.Equal("\"readiness enabled.\"", await enable.Content.ReadAsStringAsync());
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Readiness_switch_is_POST_only()
    {
        await using var factory = new ServiceFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz/disable", UriKind.Relative));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Policies;

/// <summary>VirtualService mirror and mirrors: fire-and-forget copies with Envoy's -shadow host.</summary>
public sealed class MirrorTests : IAsyncLifetime
{
    private RecordingBackend _main = null!;
    private RecordingBackend _shadow = null!;
    private RecordingBackend _shadow2 = null!;

    public async Task InitializeAsync()
    {
        _main = await RecordingBackend.StartAsync("main");
        _shadow = await RecordingBackend.StartAsync("shadow");
        _shadow2 = await RecordingBackend.StartAsync("shadow2");
    }

    public async Task DisposeAsync()
    {
        await _main.DisposeAsync();
        await _shadow.DisposeAsync();
        await _shadow2.DisposeAsync();
    }

    [Fact]
    public async Task Mirror_sends_a_copy_with_the_shadow_host_and_the_body()
    {
        var bodies = new ConcurrentQueue<string>();
        _shadow.On("/orders", async c =>
        {
            using var reader = new StreamReader(c.Request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            c.Response.StatusCode = 500;
            await c.Response.WriteAsync("mirror failed");
        });
        await using var gw = await PolicyYaml.StartAsync("""
              - headers: {request: {set: {x-route: r1}}}
                route: [{destination: {host: svc}}]
                mirror: {host: mirror}
            """, PolicyYaml.Endpoint(_main), PolicyYaml.Endpoint(_shadow, "mirror"));

        using var response = await gw.Client(80).PostAsync("http://shop.example.com:8080/orders?id=7",
            new StringContent("{\"n\":1}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("main /orders?id=7", await response.Content.ReadAsStringAsync());
        await PolicyYaml.WaitUntilAsync(() => !bodies.IsEmpty, "the mirror copy");
        var copy = _shadow.Last;
        Assert.Equal("POST", copy.Method);
        Assert.Equal("/orders?id=7", copy.PathAndQuery);
        Assert.Equal("shop.example.com-shadow:8080", copy.Host);
        Assert.Equal("shop.example.com:8080", _main.Last.Host);
        Assert.Equal("{\"n\":1}", bodies.Single());
        Assert.Equal("application/json; charset=utf-8", copy.Header("content-type"));
        Assert.Equal("r1", copy.Header("x-route"));
        Assert.Equal(_main.Last.Header("x-request-id"), copy.Header("x-request-id"));
        Assert.Contains(" 200 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/orders"));
    }

    [Fact]
    public async Task Mirror_that_never_answers_does_not_delay_the_main_request()
    {
        var release = new TaskCompletionSource();
        _shadow.On("/slow-mirror", async c =>
        {
            await release.Task.WaitAsync(c.RequestAborted);
            await c.Response.WriteAsync("late");
        });
        await using var gw = await PolicyYaml.StartAsync("""
              - route: [{destination: {host: svc}}]
                mirror: {host: mirror}
            """, PolicyYaml.Endpoint(_main), PolicyYaml.Endpoint(_shadow, "mirror"));

        using var response = await gw.Client(80).GetAsync("http://x/slow-mirror");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("main /slow-mirror", await response.Content.ReadAsStringAsync());
        await PolicyYaml.WaitUntilAsync(() => _shadow.Requests.Count == 1, "the mirror copy");
        Assert.False(release.Task.IsCompleted);
        release.SetResult();
    }

    [Fact]
    public async Task Unreachable_mirror_never_fails_the_main_request()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - route: [{destination: {host: svc}}]
                mirror: {host: mirror}
            """, PolicyYaml.Endpoint(_main), $"mirror.default.svc.cluster.local:80=http://127.0.0.1:{PolicyYaml.ClosedPort()}");

        using var response = await gw.Client(80).GetAsync("http://x/unreachable");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("main /unreachable", await response.Content.ReadAsStringAsync());
        Assert.Contains(" 200 - via_upstream ", await gw.AccessLog.WaitForLineAsync("/unreachable"));
    }

    [Fact]
    public async Task MirrorPercentage_zero_mirrors_nothing()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - match: [{uri: {prefix: /never}}]
                route: [{destination: {host: svc}}]
                mirror: {host: mirror}
                mirrorPercentage: {value: 0}
              - route: [{destination: {host: svc}}]
                mirror: {host: mirror}
            """, PolicyYaml.Endpoint(_main), PolicyYaml.Endpoint(_shadow, "mirror"));
        var client = gw.Client(80);

        using var first = await client.GetAsync("http://x/never");
        using var second = await client.GetAsync("http://x/always");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await PolicyYaml.WaitUntilAsync(() => _shadow.Requests.Count >= 1, "the mirror copy of /always");
        Assert.Equal(["/always"], _shadow.Requests.Select(r => r.PathAndQuery));
        Assert.Equal(2, _main.Requests.Count);
    }

    [Fact]
    public async Task Mirrors_copy_to_every_destination_with_its_own_percentage()
    {
        await using var gw = await PolicyYaml.StartAsync("""
              - route: [{destination: {host: svc}}]
                mirrors:
                - destination: {host: mirror}
                - destination: {host: mirror2}
                  percentage: {value: 100}
            """, PolicyYaml.Endpoint(_main), PolicyYaml.Endpoint(_shadow, "mirror"), PolicyYaml.Endpoint(_shadow2, "mirror2"));

        using var response = await gw.Client(80).GetAsync("http://api.example.com/both");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await PolicyYaml.WaitUntilAsync(() => _shadow.Requests.Count == 1 && _shadow2.Requests.Count == 1, "both mirror copies");
        Assert.Equal("api.example.com-shadow", _shadow.Last.Host);
        Assert.Equal("api.example.com-shadow", _shadow2.Last.Host);
        Assert.Equal("/both", _shadow2.Last.PathAndQuery);
    }
}

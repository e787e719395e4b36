using System.Net;
using System.Net.Sockets;
using Ingress.LocalGateway.Hosting;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// Stopping the gateway (SIGTERM) or removing a listener drains it the way Envoy does: no new connections, every
/// HTTP/1.1 response from then on says <c>connection: close</c>, HTTP/2 connections get GOAWAY, and no request on an
/// open connection is cut.
/// </summary>
public sealed class DrainTests : IAsyncLifetime
{
    private const string Host = "drain.example.com";
    private static readonly PemPair Certificate = TestCertificates.SelfSigned($"CN={Host}");
    private RecordingBackend _backend = null!;

    public async Task InitializeAsync()
    {
        _backend = await RecordingBackend.StartAsync("svc");
        _backend.On("/ok", async context =>
        {
            context.Response.ContentLength = 2;
            await context.Response.WriteAsync("ok");
        });
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private const string HttpServer = """
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: [drain.example.com]

        """;

    private static string Config(bool withHttpPort) => """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [drain.example.com]
            tls: {mode: SIMPLE, credentialName: drain-cert}

        """ + (withHttpPort ? HttpServer : "") + """
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs, namespace: istio-system}
        spec:
          hosts: [drain.example.com]
          gateways: [gw]
          http: [{route: [{destination: {host: svc.default.svc.cluster.local, port: {number: 80}}}]}]
        ---

        """ + TestCertificates.KubectlTlsSecretYaml("drain-cert", "istio-system", Certificate);

    private Task<GatewayHarness> StartAsync(TimeSpan drainTimeout, bool withHttpPort = false) =>
        GatewayHarness.StartAsync(Config(withHttpPort), [$"svc.default.svc.cluster.local:80=http://127.0.0.1:{_backend.Port}"],
            configure: o => o with { DrainTimeout = drainTimeout, AccessLog = AccessLogFormat.Off });

    private static bool ConnectionRefused(IPEndPoint address)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(address);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    private sealed record LoopResult(int Requests, int NotOk, RawResponse? Last, Exception? Error);

    [Fact]
    public async Task Keep_alive_clients_looping_requests_lose_none_when_the_gateway_stops_and_each_last_response_says_connection_close()
    {
        await using var gw = await StartAsync(TimeSpan.FromSeconds(60));
        var address = gw.Address(443);
        var counts = new int[4];

        async Task<LoopResult> Loop(int index)
        {
            var requests = 0;
            var notOk = 0;
            RawResponse? last = null;
            try
            {
                await using var client = await RawHttp1Client.ConnectAsync(address, Host, Host);
                while (last?.Header("connection") != "close")
                {
                    last = await client.GetAsync("/ok");
                    requests++;
                    if (last.Status != 200 || last.Body != "ok")
                    {
                        notOk++;
                    }

                    Volatile.Write(ref counts[index], requests);
                }

                return new LoopResult(requests, notOk, last, null);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                return new LoopResult(requests, notOk, last, e);
            }
        }

        var loops = Enumerable.Range(0, counts.Length).Select(i => Task.Run(() => Loop(i))).ToArray();
        await Poll.UntilAsync(() => counts.All(c => Volatile.Read(ref c) >= 20), TimeSpan.FromSeconds(30));
        var stop = gw.Host.StopAsync();
        var results = await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var result in results)
        {
            Assert.Null(result.Error);
            Assert.Equal(0, result.NotOk);
            Assert.Equal(200, result.Last!.Status);
            Assert.Equal("close", result.Last.Header("connection"));
        }

        // Every client left on its own, so the stop ends long before the 60 s drain timeout.
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(ConnectionRefused(address));
    }

    [Fact]
    public async Task A_connection_open_when_the_drain_begins_is_answered_with_connection_close_while_new_connections_are_refused()
    {
        await using var gw = await StartAsync(TimeSpan.FromSeconds(60));
        var address = gw.Address(443);
        await using var held = await RawHttp1Client.ConnectAsync(address, Host, Host);
        var first = await held.GetAsync("/ok");
        Assert.Equal(200, first.Status);
        Assert.Null(first.Header("connection"));

        var stop = gw.Host.StopAsync();
        await Poll.UntilAsync(() => ConnectionRefused(address));
        // The drain waits for the connection still open instead of closing it under the client.
        Assert.False(stop.IsCompleted);

        var last = await held.GetAsync("/ok");
        Assert.Equal(200, last.Status);
        Assert.Equal("ok", last.Body);
        Assert.Equal("close", last.Header("connection"));
        Assert.True(await held.ClosedByServerAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task An_idle_keep_alive_connection_is_closed_by_the_gateway_at_the_drain_timeout()
    {
        await using var gw = await StartAsync(TimeSpan.FromSeconds(1));
        await using var idle = await RawHttp1Client.ConnectAsync(gw.Address(443), Host, Host);
        Assert.Equal(200, (await idle.GetAsync("/ok")).Status);

        await gw.Host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(await idle.ClosedByServerAsync().WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task An_http2_request_in_flight_completes_and_its_connection_is_closed_by_goaway_before_the_drain_timeout()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _backend.On("/slow", async context =>
        {
            await release.Task;
            context.Response.ContentLength = 4;
            await context.Response.WriteAsync("slow");
        });
        await using var gw = await StartAsync(TimeSpan.FromSeconds(60));
        var address = gw.Address(443);
        var client = gw.Client(443, version: HttpVersion.Version20);
        var inFlight = client.GetAsync($"https://{Host}/slow");
        await Poll.UntilAsync(() => _backend.Requests.Any(r => r.PathAndQuery == "/slow"));

        var stop = gw.Host.StopAsync();
        await Poll.UntilAsync(() => ConnectionRefused(address));
        release.SetResult();

        using var response = await inFlight.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("slow", await response.Content.ReadAsStringAsync());
        // The client keeps an idle HTTP/2 connection open for minutes; only a GOAWAY ends it before the 60 s timeout.
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_reload_that_removes_a_port_refuses_new_connections_at_once_and_answers_open_ones_with_connection_close()
    {
        await using var gw = await StartAsync(TimeSpan.FromSeconds(60), withHttpPort: true);
        var address = gw.Address(8080);
        await using var held = await RawHttp1Client.ConnectAsync(address, Host, sni: null);
        Assert.Equal(200, (await held.GetAsync("/ok")).Status);

        var reload = await gw.ReloadAsync(Config(withHttpPort: false)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ReloadOutcome.Applied, reload.Outcome);
        Assert.False(gw.Host.ListenerAddresses.ContainsKey(8080));
        Assert.True(ConnectionRefused(address));
        var last = await held.GetAsync("/ok");
        Assert.Equal(404, last.Status);
        Assert.Equal("close", last.Header("connection"));
        Assert.True(await held.ClosedByServerAsync().WaitAsync(TimeSpan.FromSeconds(20)));
    }
}

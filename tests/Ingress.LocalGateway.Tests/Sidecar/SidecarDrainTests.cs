using System.Net;
using System.Net.Sockets;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>The workload proxy drains on stop the way the gateway does: no request on an open connection is cut.</summary>
public sealed class SidecarDrainTests
{
    [Fact]
    public async Task Stopping_the_workload_proxy_refuses_new_connections_and_answers_an_open_one_with_connection_close()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"),
            configure: o => o with { DrainTimeout = TimeSpan.FromSeconds(60) });
        var address = new IPEndPoint(IPAddress.Loopback, sidecar.Host.InboundAddress.Port);
        await using var held = await RawHttp1Client.ConnectAsync(address, "httpserver", sni: null);
        var first = await held.GetAsync("/hello");
        Assert.Equal(200, first.Status);
        Assert.Null(first.Header("connection"));

        var stop = sidecar.Host.StopAsync();
        await Poll.UntilAsync(() => Refused(address));
        Assert.False(stop.IsCompleted);

        var last = await held.GetAsync("/hello");
        Assert.Equal(200, last.Status);
        Assert.Equal("httpserver /hello", last.Body);
        Assert.Equal("close", last.Header("connection"));
        Assert.True(await held.ClosedByServerAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        // The outbound listener had no connection and the inbound one's client has left: done long before 60 s.
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static bool Refused(IPEndPoint address)
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
}

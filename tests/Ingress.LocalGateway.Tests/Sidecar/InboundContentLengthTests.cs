using System.Net.Sockets;
using System.Text;

namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>
/// The workload proxy's inbound side reads Content-Length as Envoy's HTTP/1 codec does, like the gateway: a value Kestrel
/// would take as a number (<c>+5</c>) is refused 400 from the bytes on the wire and never reaches the workload.
/// </summary>
public sealed class InboundContentLengthTests
{
    [Fact]
    public async Task A_signed_content_length_is_refused_400_and_never_reaches_the_workload()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(sidecar.Host.InboundAddress);
        var stream = tcp.GetStream();

        await stream.WriteAsync("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello"u8.ToArray());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = Encoding.Latin1.GetString(await ReadToCloseAsync(stream, timeout.Token));

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", reply, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", reply, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\nBad Request", reply, StringComparison.Ordinal);
        Assert.Empty(sidecar.Backend.Requests);
    }

    private static async Task<byte[]> ReadToCloseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // reset by the server after its answer
        }

        return received.ToArray();
    }
}

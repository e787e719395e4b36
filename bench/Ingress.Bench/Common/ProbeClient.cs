using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Ingress.Bench.Common;

/// <summary>
/// An HttpClient that connects every request to one IP (like curl --resolve) while keeping the URL's host as SNI and
/// Host, and accepts the bench's self-signed certificates.
/// </summary>
public static class ProbeClient
{
    /// <summary>Creates the client; <paramref name="connectIp"/> null means resolve the URL host normally.</summary>
    public static HttpClient Create(string? connectIp, TimeSpan timeout, bool pooled = true)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = pooled ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        if (connectIp is not null)
        {
            var address = IPAddress.Parse(connectIp);
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler) { Timeout = timeout };
    }

    /// <summary>The status of one GET, or 0 when no response came (refused, reset, timeout).</summary>
    public static async Task<int> StatusAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }
}

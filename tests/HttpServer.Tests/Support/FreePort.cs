using System.Net;
using System.Net.Sockets;

namespace HttpServer.Tests.Support;

/// <summary>A port that nothing listens on (bound, read, released).</summary>
public static class FreePort
{
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace Ingress.Cli.LocalSystem;

/// <summary>Loopback ports: free ones for port 0, and a check that a fixed one can be bound before anything starts.</summary>
public static class Ports
{
    /// <summary>Returns <paramref name="count"/> distinct free loopback ports (held together while chosen, so none repeats).</summary>
    public static IReadOnlyList<int> Free(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>Throws a message naming the port and the option that moves it when 127.0.0.1:<paramref name="port"/> is taken.</summary>
    public static void EnsureAvailable(int port, string what, string option)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException)
        {
            throw new LocalSystemException(
                $"127.0.0.1:{port} ({what}) is in use, perhaps by another `ingress up`: stop it, or choose another port with {option}.");
        }
        finally
        {
            listener.Stop();
        }
    }
}

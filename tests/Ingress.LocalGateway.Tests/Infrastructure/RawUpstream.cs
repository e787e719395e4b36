using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>What a <see cref="RawUpstream"/> does with one request: the bytes it answers (exactly as given, malformed or not), then whether it closes.</summary>
public sealed record RawReply(byte[] Bytes, bool Close = false, bool Silent = false)
{
    /// <summary>Writes <see cref="Bytes"/> one byte per send, so the client reads the reply in many pieces.</summary>
    public bool Trickle { get; init; }

    /// <summary>A reply from text (Latin-1, so any byte can be written); <c>\n</c> is not turned into CRLF.</summary>
    public static RawReply Text(string text, bool close = false) => new(Encoding.Latin1.GetBytes(text), close);

    /// <summary>Answers nothing and keeps the connection open.</summary>
    public static RawReply None { get; } = new([], Silent: true);
}

/// <summary>One request as the upstream received it: the connection's number, the head's text and the body's raw bytes.</summary>
public sealed record RawRequest(int Connection, string Head, byte[] Body)
{
    /// <summary>The request line.</summary>
    public string RequestLine => Head[..Head.IndexOf("\r\n", StringComparison.Ordinal)];

    /// <summary>The body as Latin-1 text.</summary>
    public string BodyText => Encoding.Latin1.GetString(Body);
}

/// <summary>
/// An HTTP/1.1 upstream written on a raw socket, so a test can answer with any bytes at all (malformed framing, bare LF,
/// a second response after the first): reads each request head and its body (Content-Length or chunked, kept raw)
/// and writes what the test's function returns. Listens on 127.0.0.1 on a free port.
/// </summary>
public sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RawRequest, RawReply> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly Task _accepting;
    private int _connections;

    public RawUpstream(Func<RawRequest, RawReply> respond)
    {
        _respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Answers every request with the same bytes.</summary>
    public RawUpstream(string reply)
        : this(_ => RawReply.Text(reply))
    {
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>False: answer as soon as a request head arrived, without reading its body (an upstream answering early).</summary>
    public bool ReadBodies { get; init; } = true;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RawRequest> Requests { get; } = new();

    /// <summary>Closes every accepted connection (as an upstream closing idle keep-alive connections does).</summary>
    public void CloseConnections()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _sockets.Add(socket);
            var number = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket, number));
        }
    }

    private async Task ServeAsync(Socket socket, int number)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                var headEnd = -1;
                while ((headEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
                {
                    var n = await socket.ReceiveAsync(chunk, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, n));
                }

                var head = Encoding.Latin1.GetString([.. buffer.GetRange(0, headEnd + 4)]);
                buffer.RemoveRange(0, headEnd + 4);
                var body = ReadBodies ? await ReadBodyAsync(socket, head, buffer, chunk) : [];
                var request = new RawRequest(number, head, body);
                Requests.Enqueue(request);
                var reply = _respond(request);
                if (reply.Silent)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                if (reply.Trickle)
                {
                    socket.NoDelay = true;
                    for (var i = 0; i < reply.Bytes.Length; i++)
                    {
                        await socket.SendAsync(reply.Bytes.AsMemory(i, 1), _stop.Token);
                    }
                }
                else
                {
                    await socket.SendAsync(reply.Bytes, _stop.Token);
                }
                if (reply.Close)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task<byte[]> ReadBodyAsync(Socket socket, string head, List<byte> buffer, byte[] chunk)
    {
        async Task Need(int count)
        {
            while (buffer.Count < count)
            {
                var n = await socket.ReceiveAsync(chunk, _stop.Token);
                if (n == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionReset);
                }

                buffer.AddRange(chunk.AsSpan(0, n));
            }
        }

        var lower = head.ToLowerInvariant();
        var lengthAt = lower.IndexOf("\r\ncontent-length:", StringComparison.Ordinal);
        if (lengthAt >= 0)
        {
            var end = lower.IndexOf("\r\n", lengthAt + 2, StringComparison.Ordinal);
            var length = int.Parse(lower[(lengthAt + 17)..end].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await Need(length);
            var body = buffer.GetRange(0, length).ToArray();
            buffer.RemoveRange(0, length);
            return body;
        }

        if (!lower.Contains("\r\ntransfer-encoding: chunked\r\n", StringComparison.Ordinal))
        {
            return [];
        }

        // Chunked: kept raw (framing included), read up to the empty line after the last chunk.
        var raw = new List<byte>();
        while (true)
        {
            int lineEnd;
            while ((lineEnd = IndexOf(buffer, "\r\n"u8)) < 0)
            {
                await Need(buffer.Count + 1);
            }

            var line = Encoding.ASCII.GetString([.. buffer.GetRange(0, lineEnd)]);
            var size = Convert.ToInt32(line.Split(';')[0].Trim(), 16);
            await Need(lineEnd + 2 + size + 2);
            raw.AddRange(buffer.GetRange(0, lineEnd + 2 + size + 2));
            buffer.RemoveRange(0, lineEnd + 2 + size + 2);
            if (size == 0)
            {
                return [.. raw];
            }
        }
    }

    private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> needle)
    {
        for (var i = 0; i + needle.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = buffer[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CloseConnections();
        await _accepting;
        _stop.Dispose();
    }
}

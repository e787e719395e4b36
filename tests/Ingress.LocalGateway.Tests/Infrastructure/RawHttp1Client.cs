using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>One response as read off the wire: status, headers (names lower-cased) and body.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// One HTTP/1.1 keep-alive connection spoken by hand, like a load generator: no retry on a broken connection and no
/// reconnect, so a request the server cuts shows up as an <see cref="IOException"/> instead of being hidden.
/// </summary>
public sealed class RawHttp1Client : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly string _host;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private RawHttp1Client(Socket socket, Stream stream, string host)
    {
        _socket = socket;
        _stream = stream;
        _host = host;
    }

    /// <summary>Connects to <paramref name="address"/>, with TLS (any server certificate accepted) when <paramref name="sni"/> is given.</summary>
    public static async Task<RawHttp1Client> ConnectAsync(IPEndPoint address, string host, string? sni)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (sni is not null)
        {
            stream = await RawExchange.Http11TlsAsync(stream, sni);
        }

        return new RawHttp1Client(socket, stream, host);
    }

    /// <summary>Sends a GET and reads its whole response.</summary>
    public async Task<RawResponse> GetAsync(string path)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {_host}\r\n\r\n"));
        await _stream.FlushAsync();
        var statusLine = await ReadLineAsync();
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var line = await ReadLineAsync(); line.Length > 0; line = await ReadLineAsync())
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var body = new StringBuilder();
        if (headers.TryGetValue("content-length", out var length))
        {
            body.Append(await ReadExactAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)));
        }
        else if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding == "chunked")
        {
            while (true)
            {
                var size = Convert.ToInt32(await ReadLineAsync(), 16);
                body.Append(await ReadExactAsync(size));
                await ReadLineAsync();
                if (size == 0)
                {
                    break;
                }
            }
        }

        return new RawResponse(status, headers, body.ToString());
    }

    /// <summary>Waits for the server to close the connection; true when it did (end of stream or a reset).</summary>
    public async Task<bool> ClosedByServerAsync()
    {
        try
        {
            return _end > _start || await _stream.ReadAsync(_buffer) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<string> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            var b = _buffer[_start++];
            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
        }
    }

    private async Task<string> ReadExactAsync(int count)
    {
        var text = new StringBuilder();
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync();
            }

            var take = Math.Min(count, _end - _start);
            text.Append(Encoding.UTF8.GetString(_buffer, _start, take));
            _start += take;
            count -= take;
        }

        return text.ToString();
    }

    private async Task FillAsync()
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer);
        if (_end == 0)
        {
            throw new IOException("the server closed the connection before the response was complete");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}

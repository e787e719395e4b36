using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>
/// The keep-alive HTTP/1.1 connections to one upstream endpoint (plain TCP). An exchange takes the most recently used
/// idle connection that the upstream has not closed meanwhile, or opens one; a connection comes back only when its
/// response was read to the end and both sides keep it (<see cref="Http1Connection.Release"/>). How many exchanges
/// run at once is the caller's to bound (the cluster's circuit breakers), so the pool never queues.
/// </summary>
public sealed class Http1ConnectionPool : IDisposable
{
    private readonly EndPoint _endpoint;
    private readonly Http1UpstreamOptions _options;
    private readonly Lock _lock = new();
    private readonly Stack<Http1Connection> _idle = new();
    private readonly HashSet<Http1Connection> _open = [];
    private readonly ITimer? _sweeper;
    private bool _disposed;

    /// <summary>A pool for <paramref name="endpoint"/> (an <see cref="IPEndPoint"/> or <see cref="DnsEndPoint"/>).</summary>
    public Http1ConnectionPool(EndPoint endpoint, Http1UpstreamOptions? options = null, TimeProvider? time = null)
    {
        _endpoint = endpoint;
        _options = options ?? new Http1UpstreamOptions();
        if (_options.IdleTimeout > TimeSpan.Zero && _options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _options.IdleTimeout.Ticks / 2));
            _sweeper = (time ?? TimeProvider.System).CreateTimer(static state => ((Http1ConnectionPool)state!).Sweep(), this, period, period);
        }
    }

    /// <summary>The endpoint this pool connects to.</summary>
    public EndPoint Endpoint => _endpoint;

    /// <summary>Connections open (idle or carrying an exchange).</summary>
    public int OpenCount
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Connections waiting in the pool.</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the response head into <paramref name="handler"/>; returns the
    /// connection, whose <see cref="Http1Connection.Head"/> says how the body is framed. The caller copies the body
    /// (<see cref="Http1Connection.CopyResponseBodyAsync"/>) and must then call <see cref="Http1Connection.Release"/>.
    /// A reused connection the upstream closed before answering is replaced once by a new one when the request has no
    /// body (what any HTTP/1.1 client does with the race of a keep-alive close). Upstream failures throw
    /// <see cref="Http1UpstreamException"/>; cancellation by <paramref name="cancellationToken"/> throws
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Http1Connection> SendAsync(IHttp1Request request, IHttp1ResponseHandler handler, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (connection, reused) = await RentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await connection.SendAsync(request, handler, cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (Http1UpstreamException e) when (reused && e.Failure == Http1Failure.ConnectionClosed
                && !connection.ReceivedAnyResponseByte && request.Body is null)
            {
                connection.Release();
            }
            catch
            {
                connection.Release();
                throw;
            }
        }
    }

    internal void Return(Http1Connection connection)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                connection.IdleSinceTimestamp = Stopwatch.GetTimestamp();
                _idle.Push(connection);
                return;
            }
        }

        connection.Close();
    }

    internal void Forget(Http1Connection connection)
    {
        lock (_lock)
        {
            _open.Remove(connection);
        }
    }

    private async ValueTask<(Http1Connection Connection, bool Reused)> RentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Http1Connection? idle;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _idle.TryPop(out idle);
            }

            if (idle is null)
            {
                return (await ConnectAsync(cancellationToken).ConfigureAwait(false), false);
            }

            if (Stopwatch.GetElapsedTime(idle.IdleSinceTimestamp) < _options.IdleTimeout && !idle.LooksClosed())
            {
                return (idle, true);
            }

            idle.Close();
        }
    }

    private async ValueTask<Http1Connection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_endpoint, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw;
        }
        catch (OperationCanceledException e)
        {
            socket.Dispose();
            throw new Http1UpstreamException(Http1Failure.ConnectFailure, "upstream_connect_timeout", e);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new Http1UpstreamException(Http1Failure.ConnectFailure, "upstream_connect_error{" + e.SocketErrorCode + "}", e);
        }

        var connection = new Http1Connection(socket, this, _options);
        lock (_lock)
        {
            if (!_disposed)
            {
                _open.Add(connection);
                return connection;
            }
        }

        connection.Close();
        throw new ObjectDisposedException(nameof(Http1ConnectionPool));
    }

    private void Sweep()
    {
        List<Http1Connection>? expired = null;
        lock (_lock)
        {
            if (_idle.Count == 0)
            {
                return;
            }

            var keep = new List<Http1Connection>(_idle.Count);
            while (_idle.TryPop(out var connection))
            {
                if (Stopwatch.GetElapsedTime(connection.IdleSinceTimestamp) >= _options.IdleTimeout)
                {
                    (expired ??= []).Add(connection);
                }
                else
                {
                    keep.Add(connection);
                }
            }

            // Pop reversed the order: push back oldest first so the most recently used stays on top.
            for (var i = keep.Count - 1; i >= 0; i--)
            {
                _idle.Push(keep[i]);
            }
        }

        foreach (var connection in expired ?? [])
        {
            connection.Close();
        }
    }

    /// <summary>Closes every connection, idle or busy (exchanges in flight fail).</summary>
    public void Dispose()
    {
        List<Http1Connection> open;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _idle.Clear();
            open = [.. _open];
        }

        _sweeper?.Dispose();
        foreach (var connection in open)
        {
            connection.Close();
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>
/// One pooled HTTP/1.1 connection to an upstream endpoint and the exchange it is carrying: the request head is written
/// into its pipe, the body streamed beside the response (an upstream may answer before it has read the body), the
/// response head parsed strictly into the caller's handler and the body copied to the caller's writer. It goes back
/// to its pool only when the response was read to its end, nothing followed it, and both sides keep the connection.
/// </summary>
public sealed class Http1Connection : IAsyncDisposable
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true);
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4096, leaveOpen: true);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly Http1ConnectionPool _pool;
    private readonly Http1UpstreamOptions _options;
    private readonly Http1ResponseParser _parser;
    private readonly CancellationTokenSource _activity = new();
    private CancellationTokenRegistration _callerRegistration;
    private CancellationToken _callerToken;
    private Task? _bodyTask;
    private Exception? _bodyFailure;
    private bool _broken;
    private bool _responseComplete;
    private bool _receivedAny;
    private int _disposed;

    internal Http1Connection(Socket socket, Http1ConnectionPool pool, Http1UpstreamOptions options)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, ReaderOptions);
        _writer = PipeWriter.Create(_stream, WriterOptions);
        _pool = pool;
        _options = options;
        _parser = new Http1ResponseParser(options.MaxResponseHeaderBytes, options.MaxResponseHeaderCount);
        CreatedTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Requests this connection has carried, the current one included.</summary>
    public long Requests { get; private set; }

    /// <summary>The head of the current response, once <see cref="Http1ConnectionPool.SendAsync"/> returned.</summary>
    public Http1ResponseHead Head { get; private set; }

    internal long CreatedTimestamp { get; }

    /// <summary>Whether any byte of the current response arrived (a reused connection that got none may be retried).</summary>
    internal bool ReceivedAnyResponseByte => _receivedAny;

    internal long IdleSinceTimestamp { get; set; }

    /// <summary>Whether the upstream closed its side (or sent something unasked) while the connection sat in the pool.</summary>
    internal bool LooksClosed()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead) || _reader.TryRead(out _);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return true;
        }
    }

    /// <summary>Writes the request, starts its body and reads the response head. Failures of the upstream throw <see cref="Http1UpstreamException"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal async ValueTask SendAsync(IHttp1Request request, IHttp1ResponseHandler handler, CancellationToken cancellationToken)
    {
        Requests++;
        _responseComplete = false;
        _receivedAny = false;
        _bodyTask = null;
        _bodyFailure = null;
        _callerToken = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            _callerRegistration = cancellationToken.UnsafeRegister(static state => ((Http1Connection)state!).Abort(), this);
        }

        var method = request.Method;
        _parser.Reset(requestWasHead: method == "HEAD");
        var body = request.Body;
        var close = _options.MaxRequestsPerConnection > 0 && Requests >= _options.MaxRequestsPerConnection;
        var writer = new Http1RequestWriter(_writer);
        writer.WriteRequestLine(method, request.Target);
        writer.WriteHost(request.Authority);
        request.WriteHeaders(writer);
        writer.WriteFraming(body is null ? null : request.BodyLength, chunked: body is not null && request.BodyLength is null, close);
        try
        {
            Arm();
            await _writer.FlushAsync(_activity.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not Http1UpstreamException)
        {
            throw Translate(e, "upstream_reset_before_response_started{write}");
        }

        if (body is not null)
        {
            _bodyTask = SendBodyAsync(body, request.BodyLength);
        }

        await ReadHeadAsync(handler).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies the response body to <paramref name="destination"/> (flushing after each read from the upstream but the
    /// last: the caller completes the response, which flushes it) and its trailers to <paramref name="handler"/>.
    /// Failures of the upstream throw <see cref="Http1UpstreamException"/>; failures writing to
    /// <paramref name="destination"/> are the caller's and pass through unwrapped.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask CopyResponseBodyAsync(PipeWriter destination, IHttp1ResponseHandler handler)
    {
        var framing = Head.Framing;
        var left = Head.ContentLength;
        while (!_responseComplete)
        {
            var result = await ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            var complete = false;
            try
            {
                switch (framing)
                {
                    case Http1BodyFraming.ContentLength:
                    {
                        var take = Math.Min(left, reader.Remaining);
                        Write(destination, reader.UnreadSequence.Slice(0, take));
                        reader.Advance(take);
                        left -= take;
                        complete = left == 0;
                        break;
                    }

                    case Http1BodyFraming.Chunked:
                        while (!complete)
                        {
                            var data = _parser.ReadChunked(ref reader, handler, out complete);
                            if (data.IsEmpty && !complete)
                            {
                                break;
                            }

                            Write(destination, data);
                        }

                        break;

                    default:
                        Write(destination, reader.UnreadSequence);
                        reader.AdvanceToEnd();
                        complete = result.IsCompleted;
                        break;
                }
            }
            catch (Http1UpstreamException)
            {
                _broken = true;
                throw;
            }

            if (complete && reader.Remaining > 0)
            {
                // Bytes after the end of the response: never read them as the next response (response splitting).
                _broken = true;
            }

            _reader.AdvanceTo(reader.Position, buffer.End);
            if (complete)
            {
                // The last piece is not flushed here: the caller completes the response, which sends it with the
                // response's end (a flush here would schedule an HTTP/2 stream on Kestrel's frame writer twice).
                _responseComplete = true;
                return;
            }

            if (result.IsCompleted)
            {
                _broken = true;
                throw new Http1UpstreamException(Http1Failure.ConnectionClosed, "upstream_reset_after_response_started{connection_termination}");
            }

            await destination.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends the exchange: the connection goes back to its pool when the response was read to its end and may be kept,
    /// else it is closed. Call exactly once per exchange, also after a failure.
    /// </summary>
    public void Release()
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
        var reusable = !_broken && _responseComplete && Head.KeepAlive && _bodyTask is null or { IsCompletedSuccessfully: true }
            && (_options.MaxRequestsPerConnection == 0 || Requests < _options.MaxRequestsPerConnection)
            && (_options.MaxConnectionDuration is not { } max || Stopwatch.GetElapsedTime(CreatedTimestamp) < max)
            && _activity.TryReset();
        if (reusable)
        {
            _pool.Return(this);
        }
        else
        {
            Close();
        }
    }

    /// <summary>Closes the connection, failing whatever it is doing.</summary>
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the connection, failing whatever it is doing (at once: nothing is flushed).</summary>
    internal void Close()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _broken = true;
        _callerRegistration.Dispose();
        _pool.Forget(this);
        try
        {
            _activity.Cancel();
        }
        catch (AggregateException)
        {
            // A callback of the token failed; the connection is going away regardless.
        }

        _socket.Dispose();
        // Completed with an error, the writer drops what it holds instead of flushing it into a closed socket.
        var closed = new ObjectDisposedException(nameof(Http1Connection));
        _reader.Complete(closed);
        _writer.Complete(closed);
        _stream.Dispose();
        if (_bodyTask is { } body)
        {
            // Observe the body task's failure (it fails once the socket is gone).
            _ = body.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        _activity.Dispose();
    }

    private void Abort()
    {
        _broken = true;
        try
        {
            _activity.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    // Every read and write of an exchange is bounded by the activity timeout, restarted on each.
    private void Arm() => _activity.CancelAfter(_options.ActivityTimeout);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadAsync()
    {
        try
        {
            Arm();
            var result = await _reader.ReadAsync(_activity.Token).ConfigureAwait(false);
            _receivedAny |= !result.Buffer.IsEmpty;
            return result;
        }
        catch (Exception e)
        {
            _broken = true;
            throw Translate(e, _receivedAny ? "upstream_reset_after_response_started{connection_termination}" : "upstream_reset_before_response_started{connection_termination}");
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadHeadAsync(IHttp1ResponseHandler handler)
    {
        while (true)
        {
            var result = await ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            bool done;
            try
            {
                done = _parser.TryParseHead(ref reader, handler);
            }
            catch (Http1UpstreamException)
            {
                _broken = true;
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (done)
            {
                Head = _parser.Head;
                _responseComplete = Head.Framing == Http1BodyFraming.None;
                if (_responseComplete && reader.Remaining > 0)
                {
                    _broken = true; // bytes after a bodiless response
                }

                _reader.AdvanceTo(reader.Position, reader.Position);
                return;
            }

            _reader.AdvanceTo(reader.Position, buffer.End);
            if (result.IsCompleted)
            {
                _broken = true;
                throw _bodyFailure is { } failure
                    ? new Http1UpstreamException(Http1Failure.RequestBody, "request_body_failed", failure)
                    : new Http1UpstreamException(Http1Failure.ConnectionClosed, "upstream_reset_before_response_started{connection_termination}");
            }
        }
    }

    private async Task SendBodyAsync(PipeReader body, long? length)
    {
        var chunked = length is null;
        var sent = 0L;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await body.ReadAsync(_activity.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!_activity.IsCancellationRequested)
                {
                    _bodyFailure = e;
                    Abort();
                    return;
                }

                var buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    sent += buffer.Length;
                    if (length is { } expected && sent > expected)
                    {
                        _bodyFailure = new InvalidOperationException("The request body is longer than its Content-Length.");
                        Abort();
                        return;
                    }

                    if (chunked)
                    {
                        WriteChunkHeader(buffer.Length);
                    }

                    foreach (var segment in buffer)
                    {
                        _writer.Write(segment.Span);
                    }

                    if (chunked)
                    {
                        _writer.Write("\r\n"u8);
                    }
                }

                body.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    if (chunked)
                    {
                        _writer.Write("0\r\n\r\n"u8);
                    }
                    else if (sent != length)
                    {
                        _bodyFailure = new InvalidOperationException("The request body ended before its Content-Length.");
                        Abort();
                        return;
                    }

                    Arm();
                    await _writer.FlushAsync(_activity.Token).ConfigureAwait(false);
                    return;
                }

                Arm();
                await _writer.FlushAsync(_activity.Token).ConfigureAwait(false);
            }
        }
        catch (Exception) when (_broken || _activity.IsCancellationRequested)
        {
            // The exchange already failed or ended; the response side reports it.
        }
        catch (Exception)
        {
            // The upstream stopped reading (it may already have answered); the response side decides.
            _broken = true;
        }
    }

    private void WriteChunkHeader(long length)
    {
        var span = _writer.GetSpan(18);
        length.TryFormat(span, out var written, "x", System.Globalization.CultureInfo.InvariantCulture);
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        _writer.Advance(written);
    }

    private static void Write(PipeWriter destination, ReadOnlySequence<byte> data)
    {
        foreach (var segment in data)
        {
            destination.Write(segment.Span);
        }
    }

    private Exception Translate(Exception e, string details)
    {
        if (e is Http1UpstreamException)
        {
            return e;
        }

        if (_bodyFailure is { } failure)
        {
            return new Http1UpstreamException(Http1Failure.RequestBody, "request_body_failed", failure);
        }

        if (_callerToken.IsCancellationRequested)
        {
            return new OperationCanceledException(_callerToken);
        }

        if (e is OperationCanceledException && _activity.IsCancellationRequested)
        {
            return new Http1UpstreamException(Http1Failure.Timeout, "upstream_activity_timeout", e);
        }

        return new Http1UpstreamException(Http1Failure.ConnectionClosed, details, e);
    }
}

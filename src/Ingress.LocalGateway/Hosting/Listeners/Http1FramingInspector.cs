using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Runtime.CompilerServices;
using Ingress.LocalGateway.Runtime.Edge;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// Connection middleware for HTTP/1.x connections (after TLS, if any): puts a reader in front of Kestrel's that hands
/// Kestrel every byte unchanged and shows the bytes Kestrel consumed to an <see cref="Http1FramingTracker"/>, whose
/// verdicts go to the connection's <see cref="Http1HeadVerdicts"/> feature. It reads nothing itself, so it can neither
/// delay nor change a request; HTTP/2 connections are passed through untouched.
/// </summary>
internal static class Http1FramingInspector
{
    /// <summary>The middleware (added after TLS and after <see cref="CleartextHttp2.Detect"/>).</summary>
    public static ConnectionDelegate Watch(ConnectionDelegate next) => async connection =>
    {
        var alpn = connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        if (alpn.Span.SequenceEqual(SslApplicationProtocol.Http2.Protocol.Span))
        {
            // HTTP/2 (ALPN h2, or prior knowledge on a plain-text port): Kestrel's HPACK and frame parsers own it.
            await next(connection).ConfigureAwait(false);
            return;
        }

        var original = connection.Transport;
        var verdicts = new Http1HeadVerdicts();
        using var watched = new WatchedTransport(original, new Http1FramingTracker(verdicts), verdicts);
        connection.Features.Set(verdicts);
        connection.Transport = watched;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = original;
        }
    };

    /// <summary>The connection's pipe with its input watched.</summary>
    private sealed class WatchedTransport(IDuplexPipe inner, Http1FramingTracker tracker, Http1HeadVerdicts verdicts)
        : PipeReader, IDuplexPipe, IDisposable
    {
        private readonly PipeReader _input = inner.Input;
        private ReadOnlySequence<byte> _lastRead;

        public PipeReader Input => this;

        public PipeWriter Output => inner.Output;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var pending = _input.ReadAsync(cancellationToken);
            if (!pending.IsCompletedSuccessfully)
            {
                return RememberAsync(pending);
            }

            var result = pending.Result;
            _lastRead = result.Buffer;
            return new ValueTask<ReadResult>(result);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!_input.TryRead(out result))
            {
                return false;
            }

            _lastRead = result.Buffer;
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            // Shown before the inner reader may recycle the memory; only what Kestrel consumed, so a head is judged
            // when Kestrel takes it and bytes it has not reached yet (pipelined requests) wait their turn.
            if (!tracker.Stopped)
            {
                Observe(consumed);
            }

            _lastRead = default;
            _input.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => _input.CancelPendingRead();

        public override void Complete(Exception? exception = null) => _input.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => _input.CompleteAsync(exception);

        public void Dispose() => tracker.Dispose();

        private void Observe(SequencePosition consumed)
        {
            try
            {
                foreach (var segment in _lastRead.Slice(_lastRead.Start, consumed))
                {
                    tracker.Observe(segment.Span);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault in the watch must never fail the connection: the check is dropped for it instead.
                tracker.Stop();
                verdicts.Abandon();
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadResult> RememberAsync(ValueTask<ReadResult> pending)
        {
            var result = await pending.ConfigureAwait(false);
            _lastRead = result.Buffer;
            return result;
        }
    }
}

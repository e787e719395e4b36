using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ingress.LocalGateway.Runtime.Forwarding;

/// <summary>
/// The request body held in memory so that a retry or a mirror can send it again, as Envoy's router buffers it up to
/// the connection's buffer limit. A body over the limit is streamed once as it arrives and is not replayable: Envoy
/// then gives up retries and shadows for that request.
/// </summary>
public sealed class ReplayableBody
{
    /// <summary>Envoy's default <c>per_connection_buffer_limit_bytes</c> (1 MiB), which bounds the router's buffer.</summary>
    public const int DefaultLimit = 1024 * 1024;

    private static readonly ReplayableBody NoBody = new(null, 0, replayable: true);

    /// <summary>A body left in the request untouched (nothing needs to replay it).</summary>
    public static ReplayableBody NotRead { get; } = new(null, 0, replayable: true);
    private static readonly ReplayableBody Streamed = new(null, 0, replayable: false);

    private readonly byte[]? _bytes;
    private readonly int _length;

    private ReplayableBody(byte[]? bytes, int length, bool replayable)
    {
        _bytes = bytes;
        _length = length;
        IsReplayable = replayable;
    }

    /// <summary>Whether the body can be sent again (no body, or one within the limit).</summary>
    public bool IsReplayable { get; }

    /// <summary>The buffered bytes (empty when there is no body or it was not buffered).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes is null ? ReadOnlyMemory<byte>.Empty : _bytes.AsMemory(0, _length);

    /// <summary>Whether the request has a body at all.</summary>
    public bool HasBody => _bytes is not null;

    /// <summary>Reads the request body into memory when it fits within <paramref name="limit"/> bytes.</summary>
    public static async ValueTask<ReplayableBody> ReadAsync(HttpContext http, int limit)
    {
        var request = http.Request;
        var canHaveBody = http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if (!canHaveBody)
        {
            return NoBody;
        }

        if (request.ContentLength is { } declared && declared > limit)
        {
            return Streamed;
        }

        var buffer = new byte[(int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit)
                {
                    // Over the limit: what was read goes first, the rest streams from the client.
                    request.Body = new PrefixedStream(buffer, length, request.Body);
                    return Streamed;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1L));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return new ReplayableBody(buffer, length, replayable: true);
    }

    /// <summary>Makes the request body readable from the start again, for the next attempt.</summary>
    public void Rewind(HttpContext http)
    {
        if (_bytes is not null)
        {
            http.Request.Body = new MemoryStream(_bytes, 0, _length, writable: false);
        }
    }
}

/// <summary>A read-only stream of some bytes already read followed by the rest of another stream.</summary>
internal sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - _position);
            prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < prefixLength)
        {
            return Read(buffer.Span);
        }

        return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

using System.Buffers;

namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>
/// A strict parser of HTTP/1.1 responses (RFC 9112), fed from a connection's buffer line by line, so that a proxied
/// response can neither smuggle a second response nor split one: only CRLF ends a line (a bare LF or CR is refused),
/// obsolete line folding is refused, field names must be tokens with the colon right after them, values must hold no
/// NUL, <c>Content-Length</c> must be one run of digits sent once, <c>Transfer-Encoding</c> may only be
/// <c>chunked</c> and never with a <c>Content-Length</c>, chunk sizes are bounded hex numbers, and the head's size
/// and field count are limited. Each refusal names its rule (Envoy's codec detail where it has one).
/// </summary>
public sealed class Http1ResponseParser
{
    private const int MaxInterimResponses = 16;
    private const int MaxChunkLine = 4096;
    private readonly int _maxHeaderBytes;
    private readonly int _maxHeaderCount;

    private Phase _phase;
    private bool _requestWasHead;
    private int _headBytes;
    private int _headerCount;
    private int _interim;
    private int _status;
    private bool _http10;
    private long _contentLength = -1;
    private bool _chunked;
    private bool _close;
    private bool _keepAlive;

    // Chunked body state.
    private long _chunkLeft;
    private ChunkPhase _chunkPhase;

    public Http1ResponseParser(int maxHeaderBytes, int maxHeaderCount)
    {
        _maxHeaderBytes = maxHeaderBytes;
        _maxHeaderCount = maxHeaderCount;
    }

    private enum Phase
    {
        StatusLine,
        Fields,
        Done,
    }

    private enum ChunkPhase
    {
        Size,
        Data,
        DataEnd,
        Trailers,
        Done,
    }

    /// <summary>Starts a new response; <paramref name="requestWasHead"/> means the response has no body whatever it says.</summary>
    public void Reset(bool requestWasHead)
    {
        _phase = Phase.StatusLine;
        _requestWasHead = requestWasHead;
        _headBytes = 0;
        _headerCount = 0;
        _interim = 0;
        _status = 0;
        _http10 = false;
        _contentLength = -1;
        _chunked = false;
        _close = false;
        _keepAlive = false;
        _chunkLeft = 0;
        _chunkPhase = ChunkPhase.Size;
    }

    /// <summary>The head once <see cref="TryParseHead{THandler}"/> returned true.</summary>
    public Http1ResponseHead Head { get; private set; }

    /// <summary>
    /// Consumes the complete lines of the response head in <paramref name="reader"/>, passing the final status and
    /// its fields to <paramref name="handler"/>; true once the empty line that ends the head was read. Throws
    /// <see cref="Http1UpstreamException"/> (<see cref="Http1Failure.ProtocolError"/>) on anything RFC 9112 refuses.
    /// </summary>
    public bool TryParseHead<THandler>(ref SequenceReader<byte> reader, THandler handler)
        where THandler : IHttp1ResponseHandler
    {
        while (_phase != Phase.Done)
        {
            var limit = _maxHeaderBytes - _headBytes;
            if (!TryReadLine(ref reader, limit, "http1.headers_too_large", out var line, out var rented))
            {
                return false;
            }

            try
            {
                _headBytes += line.Length + 2;
                if (_phase == Phase.StatusLine)
                {
                    ParseStatusLine(line, handler);
                }
                else if (line.IsEmpty)
                {
                    EndOfHead(handler);
                }
                else
                {
                    ParseField(line, handler, trailer: false);
                }
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Decodes chunked body bytes from <paramref name="reader"/>: returns the next run of data (possibly empty when
    /// only framing was read), with <paramref name="complete"/> set once the last chunk and the trailers were read.
    /// Trailer fields go to <paramref name="handler"/>.
    /// </summary>
    public ReadOnlySequence<byte> ReadChunked<THandler>(ref SequenceReader<byte> reader, THandler handler, out bool complete)
        where THandler : IHttp1ResponseHandler
    {
        complete = false;
        while (true)
        {
            switch (_chunkPhase)
            {
                case ChunkPhase.Size:
                {
                    if (!TryReadLine(ref reader, MaxChunkLine, "http1.invalid_chunk_size", out var line, out var rented))
                    {
                        return ReadOnlySequence<byte>.Empty;
                    }

                    _chunkLeft = ParseChunkSize(line);
                    if (rented is not null)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                    }

                    _chunkPhase = _chunkLeft == 0 ? ChunkPhase.Trailers : ChunkPhase.Data;
                    break;
                }

                case ChunkPhase.Data:
                {
                    if (reader.End)
                    {
                        return ReadOnlySequence<byte>.Empty;
                    }

                    var take = Math.Min(_chunkLeft, reader.Remaining);
                    var data = reader.UnreadSequence.Slice(0, take);
                    reader.Advance(take);
                    _chunkLeft -= take;
                    if (_chunkLeft == 0)
                    {
                        _chunkPhase = ChunkPhase.DataEnd;
                    }

                    return data;
                }

                case ChunkPhase.DataEnd:
                {
                    if (reader.Remaining < 2)
                    {
                        return ReadOnlySequence<byte>.Empty;
                    }

                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                    {
                        throw Http1UpstreamException.Protocol("http1.invalid_chunk_end");
                    }

                    _chunkPhase = ChunkPhase.Size;
                    break;
                }

                case ChunkPhase.Trailers:
                {
                    var limit = _maxHeaderBytes - _headBytes;
                    if (!TryReadLine(ref reader, limit, "http1.trailers_too_large", out var line, out var rented))
                    {
                        return ReadOnlySequence<byte>.Empty;
                    }

                    try
                    {
                        _headBytes += line.Length + 2;
                        if (line.IsEmpty)
                        {
                            _chunkPhase = ChunkPhase.Done;
                        }
                        else
                        {
                            ParseField(line, handler, trailer: true);
                        }
                    }
                    finally
                    {
                        if (rented is not null)
                        {
                            ArrayPool<byte>.Shared.Return(rented);
                        }
                    }

                    break;
                }

                default:
                    complete = true;
                    return ReadOnlySequence<byte>.Empty;
            }
        }
    }

    // A line ends with CRLF and holds no other CR or LF; the CRLF is not part of it. False when the reader holds no
    // whole line yet (then nothing was consumed). A line (or the bytes waiting without a line end) longer than
    // maxLength is refused with tooLong.
    private static bool TryReadLine(ref SequenceReader<byte> reader, int maxLength, string tooLong, out ReadOnlySpan<byte> line, out byte[]? rented)
    {
        rented = null;
        line = default;
        var start = reader.Position;
        if (!reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true))
        {
            if (reader.Remaining > maxLength)
            {
                throw Http1UpstreamException.Protocol(tooLong);
            }

            return false;
        }

        var raw = reader.Sequence.Slice(start, reader.Position);
        if (raw.Length - 1 > maxLength)
        {
            throw Http1UpstreamException.Protocol(tooLong);
        }

        ReadOnlySpan<byte> span;
        if (raw.IsSingleSegment)
        {
            span = raw.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)raw.Length);
            raw.CopyTo(rented);
            span = rented.AsSpan(0, (int)raw.Length);
        }

        // RFC 9112 §2.2 lets a recipient accept a bare LF; a proxy that did would read a response its neighbours split
        // differently. Envoy refuses it; so do we, and a CR anywhere else in the line too.
        if (span.Length < 2 || span[^2] != (byte)'\r')
        {
            throw Http1UpstreamException.Protocol("http1.bare_lf");
        }

        span = span[..^2];
        if (span.Contains((byte)'\r'))
        {
            throw Http1UpstreamException.Protocol("http1.bare_cr");
        }

        line = span;
        return true;
    }

    private void ParseStatusLine<THandler>(ReadOnlySpan<byte> line, THandler handler) where THandler : IHttp1ResponseHandler
    {
        // status-line = HTTP-version SP status-code SP [ reason-phrase ]
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' ' || (line[7] != (byte)'1' && line[7] != (byte)'0'))
        {
            throw Http1UpstreamException.Protocol("http1.invalid_status_line");
        }

        var status = 0;
        for (var i = 9; i < 12; i++)
        {
            var digit = line[i] - (byte)'0';
            if ((uint)digit > 9)
            {
                throw Http1UpstreamException.Protocol("http1.invalid_status_code");
            }

            status = (status * 10) + digit;
        }

        if (status < 100)
        {
            throw Http1UpstreamException.Protocol("http1.invalid_status_code");
        }

        ReadOnlySpan<byte> reason = default;
        if (line.Length > 12)
        {
            if (line[12] != (byte)' ')
            {
                throw Http1UpstreamException.Protocol("http1.invalid_status_line");
            }

            reason = line[13..];
            if (reason.ContainsAnyInRange((byte)0, (byte)0x08) || reason.ContainsAnyInRange((byte)0x0A, (byte)0x1F) || reason.Contains((byte)0x7F))
            {
                throw Http1UpstreamException.Protocol("http1.invalid_reason_phrase");
            }
        }

        if (status == 101)
        {
            // This path never asks for an upgrade (those stay on the general client), so a 101 is a protocol error.
            throw Http1UpstreamException.Protocol("http1.unexpected_101");
        }

        _status = status;
        _http10 = line[7] == (byte)'0';
        _phase = Phase.Fields;
        if (status >= 200)
        {
            handler.OnStatus(status, reason);
        }
    }

    private void EndOfHead<THandler>(THandler handler) where THandler : IHttp1ResponseHandler
    {
        if (_status < 200)
        {
            // An interim response (100 Continue, 102, 103): its fields are dropped and the final one follows.
            if (++_interim > MaxInterimResponses)
            {
                throw Http1UpstreamException.Protocol("http1.too_many_interim_responses");
            }

            var (keepBytes, interim) = (_headBytes, _interim);
            Reset(_requestWasHead);
            (_headBytes, _interim) = (keepBytes, interim);
            return;
        }

        _ = handler;
        if (_chunked && _contentLength >= 0)
        {
            // RFC 9112 §6.3: "ought to be handled as an error"; a proxy that picked one of the two could be desynced.
            throw Http1UpstreamException.Protocol("http1.content_length_and_chunked_not_allowed");
        }

        var noBody = _requestWasHead || _status is 204 or 304;
        if (_status == 204 && (_chunked || _contentLength > 0))
        {
            throw Http1UpstreamException.Protocol("http1.body_disallowed_for_204");
        }

        Http1BodyFraming framing;
        long length = 0;
        if (noBody)
        {
            framing = Http1BodyFraming.None;
        }
        else if (_chunked)
        {
            framing = Http1BodyFraming.Chunked;
        }
        else if (_contentLength >= 0)
        {
            framing = _contentLength == 0 ? Http1BodyFraming.None : Http1BodyFraming.ContentLength;
            length = _contentLength;
        }
        else
        {
            framing = Http1BodyFraming.UntilClose;
        }

        var keepAlive = framing != Http1BodyFraming.UntilClose && !_close && (!_http10 || _keepAlive);
        Head = new Http1ResponseHead(_status, _http10, framing, length, keepAlive)
        {
            DeclaredLength = _contentLength >= 0 ? _contentLength : null,
        };
        _phase = Phase.Done;
    }

    private void ParseField<THandler>(ReadOnlySpan<byte> line, THandler handler, bool trailer) where THandler : IHttp1ResponseHandler
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            // RFC 9112 §5.2: obs-fold; a proxy must not forward it, and Envoy refuses it.
            throw Http1UpstreamException.Protocol("http1.obs_fold");
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw Http1UpstreamException.Protocol("http1.invalid_header_field");
        }

        var name = line[..colon];
        if (name.IndexOfAnyExcept(TokenChars) >= 0)
        {
            // Includes whitespace between the name and the colon (RFC 9112 §5.1).
            throw Http1UpstreamException.Protocol("http1.invalid_header_name");
        }

        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (value.Contains((byte)0))
        {
            throw Http1UpstreamException.Protocol("http1.invalid_header_value");
        }

        if (++_headerCount > _maxHeaderCount)
        {
            throw Http1UpstreamException.Protocol("http1.too_many_headers");
        }

        if (_status < 200 && !trailer)
        {
            return; // a field of an interim response: checked, not kept
        }

        if (trailer)
        {
            if (!IsFraming(name) && !IsHopByHop(name))
            {
                handler.OnTrailer(name, value);
            }

            return;
        }

        if (name.EqualsIgnoreCase("content-length"u8))
        {
            if (_contentLength >= 0)
            {
                throw Http1UpstreamException.Protocol("http1.multiple_content_length");
            }

            _contentLength = ParseContentLength(value);
        }
        else if (name.EqualsIgnoreCase("transfer-encoding"u8))
        {
            if (_chunked || !value.EqualsIgnoreCase("chunked"u8))
            {
                // Only one chunked coding is understood; anything else (identity, gzip, "chunked, chunked") would
                // leave the end of the body to a guess.
                throw Http1UpstreamException.Protocol("http1.invalid_transfer_encoding");
            }

            _chunked = true;
        }
        else if (name.EqualsIgnoreCase("connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                var token = value[range].Trim(" \t"u8);
                if (token.EqualsIgnoreCase("close"u8))
                {
                    _close = true;
                }
                else if (token.EqualsIgnoreCase("keep-alive"u8))
                {
                    _keepAlive = true;
                }
            }
        }
        else if (!IsHopByHop(name))
        {
            handler.OnHeader(name, value);
        }
    }

    private static long ParseContentLength(ReadOnlySpan<byte> value)
    {
        // 1*DIGIT, nothing else: no sign, no list ("5, 5"), no whitespace inside, at most 18 digits (no overflow).
        if (value.IsEmpty || value.Length > 18 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            throw Http1UpstreamException.Protocol("http1.invalid_content_length");
        }

        long length = 0;
        foreach (var b in value)
        {
            length = (length * 10) + (b - '0');
        }

        return length;
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        // chunk-size [ chunk-ext ]: 1*HEXDIG, then nothing, or whitespace and ";" extensions (ignored).
        long size = 0;
        var i = 0;
        for (; i < line.Length; i++)
        {
            var b = line[i];
            var digit = b is >= (byte)'0' and <= (byte)'9' ? b - '0'
                : b is >= (byte)'a' and <= (byte)'f' ? b - 'a' + 10
                : b is >= (byte)'A' and <= (byte)'F' ? b - 'A' + 10
                : -1;
            if (digit < 0)
            {
                break;
            }

            if (size > (long.MaxValue >> 4))
            {
                throw Http1UpstreamException.Protocol("http1.invalid_chunk_size");
            }

            size = (size << 4) | (uint)digit;
        }

        if (i == 0)
        {
            throw Http1UpstreamException.Protocol("http1.invalid_chunk_size");
        }

        var rest = line[i..].TrimStart(" \t"u8);
        if (!rest.IsEmpty && (rest[0] != (byte)';' || rest.Contains((byte)0)))
        {
            throw Http1UpstreamException.Protocol("http1.invalid_chunk_size");
        }

        return size;
    }

    private static bool IsFraming(ReadOnlySpan<byte> name) =>
        name.EqualsIgnoreCase("content-length"u8) || name.EqualsIgnoreCase("transfer-encoding"u8);

    // RFC 9110 §7.6.1 connection-specific fields; a proxy consumes them and never forwards them.
    internal static bool IsHopByHop(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 => name.EqualsIgnoreCase("te"u8),
        7 => name.EqualsIgnoreCase("upgrade"u8) || name.EqualsIgnoreCase("trailer"u8),
        10 => name.EqualsIgnoreCase("keep-alive"u8) || name.EqualsIgnoreCase("connection"u8),
        16 => name.EqualsIgnoreCase("proxy-connection"u8),
        _ => false,
    };

    // RFC 9110 §5.6.2 tchar.
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
}

internal static class AsciiSpanExtensions
{
    public static bool EqualsIgnoreCase(this ReadOnlySpan<byte> span, ReadOnlySpan<byte> lowerAscii) =>
        System.Text.Ascii.EqualsIgnoreCase(span, lowerAscii);
}

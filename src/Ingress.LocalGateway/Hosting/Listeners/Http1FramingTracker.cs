using System.Buffers;
using System.Text;
using Ingress.LocalGateway.Runtime.Edge;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// Follows the HTTP/1 request framing of one connection over the bytes Kestrel consumed, in whatever pieces they come:
/// request line and headers up to the empty line, then the body by Content-Length (skipped by counting) or by chunks
/// (sizes, extensions, data, CRLF, trailers). For each head it records a verdict on its Content-Length headers by
/// Envoy's rule, which Kestrel's parser does not apply (it reads <c>+5</c> as 5 and regenerates the header).
/// </summary>
/// <remarks>
/// It never decides anything about the bytes themselves: wherever it is not certain to frame a request as Kestrel does,
/// it stops, and every later request of the connection is <see cref="Http1HeadVerdict.Unknown"/>. Most of those places
/// are ones Kestrel refuses (and then closes the connection), so stopping there costs nothing; and since it sees only
/// what Kestrel consumed, a head Kestrel refuses mostly never reaches it.
/// </remarks>
internal sealed class Http1FramingTracker : IDisposable
{
    // Kestrel refuses a request line or a header section beyond 60 KiB (DrainableServer sets both limits).
    private const int MaxLine = RequestCanonicalizer.MaxHeadersBytes + 1024;
    private const int MaxHead = 2 * RequestCanonicalizer.MaxHeadersBytes + 1024;

    // Kestrel's chunk sizes are int (7FFFFFFF at most) and it reads at most 8 hex digits
    // (Http1ChunkedEncodingMessageBody.ParseChunkedPrefix).
    private const int MaxChunkSizeDigits = 8;

    private const int KeptLineBuffer = 4096;

    private readonly Http1HeadVerdicts _verdicts;
    private State _state = State.RequestLine;
    private byte[]? _line;
    private int _lineLength;
    private int _headBytes;
    private long _remaining;
    private int _chunkDigits;
    private int _trailerLineBytes;
    private bool _trailerLineEndsInCr;
    private Head _head;

    public Http1FramingTracker(Http1HeadVerdicts verdicts) => _verdicts = verdicts;

    private enum State
    {
        RequestLine,
        Headers,
        Body,
        ChunkSize,
        ChunkExtension,
        ChunkSizeLf,
        ChunkData,
        ChunkDataCr,
        ChunkDataLf,
        Trailers,
        Stopped,
    }

    private enum ContentLengthStatus : byte
    {
        Valid,
        Invalid,
        Overflow,
    }

    /// <summary>Whether the tracker gave up on the connection (it reads nothing more).</summary>
    public bool Stopped => _state == State.Stopped;

    /// <summary>Takes the next bytes of the connection, exactly as Kestrel consumed them.</summary>
    public void Observe(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            switch (_state)
            {
                case State.Stopped:
                    return;
                case State.RequestLine or State.Headers:
                    data = HeadBytes(data);
                    break;
                case State.Body:
                    data = Skip(data, State.RequestLine);
                    break;
                case State.ChunkSize:
                    data = ChunkSizeBytes(data);
                    break;
                case State.ChunkExtension:
                    data = ChunkExtensionBytes(data);
                    break;
                case State.ChunkSizeLf:
                    data = Expect(data, (byte)'\n', _remaining > 0 ? State.ChunkData : State.Trailers);
                    break;
                case State.ChunkData:
                    data = Skip(data, State.ChunkDataCr);
                    break;
                case State.ChunkDataCr:
                    data = Expect(data, (byte)'\r', State.ChunkDataLf);
                    break;
                case State.ChunkDataLf:
                    data = Expect(data, (byte)'\n', State.ChunkSize);
                    break;
                case State.Trailers:
                    data = TrailerBytes(data);
                    break;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_line is { } line)
        {
            _line = null;
            ArrayPool<byte>.Shared.Return(line);
        }
    }

    /// <summary>Stops following the connection (nothing more is read or recorded).</summary>
    public void Stop() => _state = State.Stopped;

    private ReadOnlySpan<byte> Skip(ReadOnlySpan<byte> data, State next)
    {
        var take = (int)Math.Min(_remaining, data.Length);
        _remaining -= take;
        if (_remaining == 0)
        {
            _state = next;
        }

        return data[take..];
    }

    // Kestrel refuses a chunk whose size line or data does not end in exactly CRLF (ParseChunkedPrefix,
    // ParseChunkedSuffix); Envoy would tolerate some of it (research-edge §3.4), but here only Kestrel's framing counts.
    private ReadOnlySpan<byte> Expect(ReadOnlySpan<byte> data, byte expected, State next)
    {
        if (data[0] != expected)
        {
            Stop();
            return default;
        }

        _state = next;
        return data[1..];
    }

    private ReadOnlySpan<byte> HeadBytes(ReadOnlySpan<byte> data)
    {
        var lf = data.IndexOf((byte)'\n');
        var end = lf < 0 ? data.Length : lf;
        _headBytes += lf < 0 ? data.Length : lf + 1;
        if (_headBytes > MaxHead || _lineLength + end > MaxLine)
        {
            Stop();
            return default;
        }

        if (lf < 0)
        {
            Append(data);
            return default;
        }

        if (_lineLength > 0)
        {
            Append(data[..end]);
            var line = _line.AsSpan(0, _lineLength);
            _lineLength = 0;
            HeadLine(line);
            if (_line!.Length > KeptLineBuffer)
            {
                // An idle keep-alive connection does not hold on to the buffer of one long header.
                Dispose();
            }
        }
        else
        {
            HeadLine(data[..end]);
        }

        return data[(lf + 1)..];
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_line is null || _line.Length < _lineLength + part.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(256, (_lineLength + part.Length) * 2));
            if (_line is not null)
            {
                _line.AsSpan(0, _lineLength).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_line);
            }

            _line = grown;
        }

        part.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += part.Length;
    }

    // Lines end at LF with an optional CR before it: Kestrel accepts a bare LF unless an AppContext switch says
    // otherwise (HttpParser, DisableHttp1LineFeedTerminators), and Envoy's Balsa does too (BalsaFrame::ProcessHeaders).
    // Where Kestrel would refuse a line instead, the connection ends and nothing here matters.
    private void HeadLine(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (_state == State.RequestLine)
        {
            if (!line.IsEmpty)
            {
                RequestLine(line);
            }

            // Empty lines before a request line: Balsa and Kestrel both skip them.
            return;
        }

        if (line.IsEmpty)
        {
            EndOfHead();
            return;
        }

        if (line[0] is (byte)' ' or (byte)'\t')
        {
            // A folded header line: Kestrel refuses it, Balsa would join it to the previous header.
            Stop();
            return;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            Stop();
            return;
        }

        var name = line[..colon];
        var value = line[(colon + 1)..];
        switch (name.Length)
        {
            case 14 when Ascii.EqualsIgnoreCase(name, "content-length"u8):
                ContentLength(value);
                break;
            case 17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8):
                TransferEncoding(value);
                break;
        }
    }

    private void RequestLine(ReadOnlySpan<byte> line)
    {
        // method SP request-target SP HTTP-version; neither the method nor the target may hold a space.
        var methodEnd = line.IndexOf((byte)' ');
        var rest = methodEnd > 0 ? line[(methodEnd + 1)..] : default;
        var targetEnd = rest.IndexOf((byte)' ');
        if (methodEnd <= 0 || targetEnd <= 0)
        {
            Stop();
            return;
        }

        var method = line[..methodEnd];
        _head = new Head
        {
            Identity = Http1HeadVerdicts.Identity(method, rest[..targetEnd]),
            Connect = method.SequenceEqual("CONNECT"u8),
        };
        _state = State.Headers;
    }

    // Envoy's Balsa (BalsaFrame::ProcessHeaderLines): the first Content-Length sets the status and value; a later one
    // with another status or value is MULTIPLE_CONTENT_LENGTH_KEYS, and so is an equal valid one, since Envoy sets
    // disallow_multiple_content_length (BalsaParser::BalsaParser). Either is answered 400 http1.codec_error.
    private void ContentLength(ReadOnlySpan<byte> value)
    {
        var status = BalsaContentLength(value, out var length);
        if (_head.ContentLengths == 0)
        {
            _head.ContentLengthStatus = status;
            _head.ContentLength = length;
        }
        else if (status != _head.ContentLengthStatus || length != _head.ContentLength || status == ContentLengthStatus.Valid)
        {
            _head.MultipleContentLengths = true;
        }

        _head.ContentLengths++;
    }

    /// <summary>
    /// Envoy's Balsa reading of a Content-Length value (<c>BalsaFrame::ProcessContentLengthLine</c>): bytes up to
    /// 0x20 around it dropped, then one or more ASCII digits within 64 bits. <c>+5</c>, <c>-1</c>, <c>5, 5</c>,
    /// <c>0x5</c> and an empty value are not.
    /// </summary>
    public static bool IsValidContentLength(ReadOnlySpan<byte> value) =>
        BalsaContentLength(value, out _) == ContentLengthStatus.Valid;

    // The value reached when parsing stopped is kept, as Balsa keeps it: two invalid values are compared by it.
    private static ContentLengthStatus BalsaContentLength(ReadOnlySpan<byte> value, out ulong length)
    {
        length = 0;
        value = TrimControlAndSpace(value);
        if (value.IsEmpty)
        {
            return ContentLengthStatus.Invalid;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return ContentLengthStatus.Invalid;
            }

            var digit = (ulong)(b - '0');
            if (length > ulong.MaxValue / 10 || ulong.MaxValue - (length * 10) < digit)
            {
                return ContentLengthStatus.Overflow;
            }

            length = (length * 10) + digit;
        }

        return ContentLengthStatus.Valid;
    }

    private void TransferEncoding(ReadOnlySpan<byte> value)
    {
        _head.TransferEncoding = true;
        // Balsa looks only at the last Transfer-Encoding line, whole (BalsaFrame::ProcessTransferEncodingLine): a
        // chunked message has its Content-Length ignored (AssignParseStateAfterHeadersHaveBeenParsed).
        _head.BalsaChunked = Ascii.EqualsIgnoreCase(TrimControlAndSpace(value), "chunked"u8);
        // Kestrel frames by chunks when the last coding of all the lines is chunked (HttpHeaders.GetFinalTransferCoding)
        // and refuses the request otherwise.
        foreach (var range in value.Split((byte)','))
        {
            var coding = value[range].Trim(" \t"u8);
            if (!coding.IsEmpty)
            {
                _head.KestrelChunked = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            }
        }
    }

    private void EndOfHead()
    {
        var head = _head;
        var refused = head.MultipleContentLengths
            || (head.ContentLengths > 0 && !head.BalsaChunked && head.ContentLengthStatus != ContentLengthStatus.Valid);
        _verdicts.Record(refused ? Http1HeadVerdict.ContentLengthRefused : Http1HeadVerdict.Clean, head.Identity);
        _headBytes = 0;
        if (refused || head.Connect)
        {
            // A refused head ends the connection (Kestrel's own 400, or the gateway's with connection: close). After
            // a CONNECT the bytes would be a tunnel's (Kestrel refuses HTTP/1.1 CONNECT today).
            Stop();
            return;
        }

        // An upgrade request (Connection: upgrade) is followed like any other: Kestrel gives it no body and, when the
        // answer is not 101 (an h2c upgrade served as HTTP/1.1, a backend that declines), goes on reading requests on
        // the connection, so stopping here would let one header switch the check off for every later request. After
        // a 101 the bytes are another protocol's, but Kestrel hands no further request to the gateway to ask about
        // them, and the first line that is not HTTP stops the tracker.

        if (head.TransferEncoding)
        {
            if (!head.KestrelChunked)
            {
                Stop();
                return;
            }

            _chunkDigits = 0;
            _remaining = 0;
            _state = State.ChunkSize;
            return;
        }

        if (head.ContentLengths > 0)
        {
            // The value Kestrel reads (spaces and tabs dropped, then a long); what it would refuse ends the connection.
            if (head.ContentLength > long.MaxValue)
            {
                Stop();
                return;
            }

            _remaining = (long)head.ContentLength;
            _state = _remaining > 0 ? State.Body : State.RequestLine;
            return;
        }

        _state = State.RequestLine;
    }

    private ReadOnlySpan<byte> ChunkSizeBytes(ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i < data.Length; i++)
        {
            var b = data[i];
            var digit = HexValue(b);
            if (digit >= 0)
            {
                if (++_chunkDigits > MaxChunkSizeDigits)
                {
                    Stop();
                    return default;
                }

                _remaining = (_remaining << 4) | (uint)digit;
                continue;
            }

            if (_chunkDigits == 0)
            {
                Stop();
                return default;
            }

            if (b == '\r')
            {
                _state = State.ChunkSizeLf;
            }
            else if (b is (byte)';' or (byte)' ' or (byte)'\t')
            {
                // A chunk extension (Kestrel also starts one at the whitespace before ';'); its content is not framing.
                _state = State.ChunkExtension;
            }
            else
            {
                Stop();
                return default;
            }

            return PrepareChunk(data[(i + 1)..]);
        }

        return default;
    }

    private ReadOnlySpan<byte> PrepareChunk(ReadOnlySpan<byte> rest)
    {
        if (_remaining > int.MaxValue)
        {
            Stop();
            return default;
        }

        _chunkDigits = 0;
        return rest;
    }

    // A lone CR or LF inside a chunk extension is where parsers have disagreed on where the size line ends
    // (request smuggling through chunk extensions): not followed.
    private ReadOnlySpan<byte> ChunkExtensionBytes(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0)
        {
            return default;
        }

        if (data[end] == '\n')
        {
            Stop();
            return default;
        }

        _state = State.ChunkSizeLf;
        return data[(end + 1)..];
    }

    // Trailer lines end as header lines do; the empty one ends the message. Their content is not framing.
    private ReadOnlySpan<byte> TrailerBytes(ReadOnlySpan<byte> data)
    {
        var lf = data.IndexOf((byte)'\n');
        var part = lf < 0 ? data : data[..lf];
        if (!part.IsEmpty)
        {
            _trailerLineBytes += part.Length;
            _trailerLineEndsInCr = part[^1] == '\r';
        }

        _headBytes += lf < 0 ? data.Length : lf + 1;
        if (_headBytes > MaxHead)
        {
            Stop();
            return default;
        }

        if (lf < 0)
        {
            return default;
        }

        var empty = _trailerLineBytes == 0 || (_trailerLineBytes == 1 && _trailerLineEndsInCr);
        _trailerLineBytes = 0;
        _trailerLineEndsInCr = false;
        if (empty)
        {
            _headBytes = 0;
            _state = State.RequestLine;
        }

        return data[(lf + 1)..];
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    // Balsa drops every byte up to 0x20 around a value (BalsaFrame::CleanUpKeyValueWhitespace and the line's end).
    private static ReadOnlySpan<byte> TrimControlAndSpace(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length && value[start] <= ' ')
        {
            start++;
        }

        var end = value.Length;
        while (end > start && value[end - 1] <= ' ')
        {
            end--;
        }

        return value[start..end];
    }

    // What one head says about framing and Content-Length, gathered line by line.
    private struct Head
    {
        public ulong Identity;
        public bool Connect;
        public int ContentLengths;
        public ContentLengthStatus ContentLengthStatus;
        public ulong ContentLength;
        public bool MultipleContentLengths;
        public bool TransferEncoding;
        public bool BalsaChunked;
        public bool KestrelChunked;
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text;

namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>
/// Writes an HTTP/1.1 request head straight into an upstream connection's pipe. The writer owns the framing: it writes
/// the request line, <c>Host</c>, <c>Content-Length</c> or <c>Transfer-Encoding</c> and <c>Connection</c> itself,
/// and drops those and every hop-by-hop field a caller passes. Names must be tokens and values must hold no CR, LF or
/// NUL (nothing the caller passes can start a second request); values are written as Latin-1, as Kestrel read them.
/// </summary>
public readonly struct Http1RequestWriter
{
    private readonly PipeWriter _writer;

    internal Http1RequestWriter(PipeWriter writer) => _writer = writer;

    /// <summary>Adds one field line; framing and hop-by-hop fields are skipped.</summary>
    public void Add(string name, string? value)
    {
        if (value is null || IsOwnedByWriter(name))
        {
            return;
        }

        WriteField(name, value);
    }

    /// <summary>
    /// Adds a field with several values on one line, joined with <c>", "</c> as HttpClient joins them (<c>Cookie</c>
    /// with <c>"; "</c>, as RFC 6265 asks).
    /// </summary>
    public void Add(string name, Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count == 0 || IsOwnedByWriter(name))
        {
            return;
        }

        if (values.Count == 1)
        {
            WriteField(name, values[0] ?? "");
            return;
        }

        var separator = string.Equals(name, "cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ";
        WriteField(name, string.Join(separator, values.ToArray()));
    }

    internal void WriteRequestLine(string method, string target)
    {
        CheckToken(method);
        CheckValue(target);
        if (target.Length == 0 || target.AsSpan().ContainsAny(' ', '\t'))
        {
            throw new ArgumentException($"The request target '{target}' is not an origin-form target.", nameof(target));
        }

        WriteLatin1(method);
        WriteBytes(" "u8);
        WriteLatin1(target);
        WriteBytes(" HTTP/1.1\r\n"u8);
    }

    internal void WriteHost(string authority)
    {
        WriteField("host", authority);
    }

    internal void WriteFraming(long? contentLength, bool chunked, bool close)
    {
        if (chunked)
        {
            WriteBytes("transfer-encoding: chunked\r\n"u8);
        }
        else if (contentLength is { } length)
        {
            WriteBytes("content-length: "u8);
            var span = _writer.GetSpan(20);
            Utf8Formatter.TryFormat(length, span, out var written);
            _writer.Advance(written);
            WriteBytes("\r\n"u8);
        }

        if (close)
        {
            WriteBytes("connection: close\r\n"u8);
        }

        WriteBytes("\r\n"u8);
    }

    private void WriteField(string name, string value)
    {
        CheckToken(name);
        CheckValue(value);
        WriteLatin1(name);
        WriteBytes(": "u8);
        WriteLatin1(value);
        WriteBytes("\r\n"u8);
    }

    private static bool IsOwnedByWriter(string name) => name.Length switch
    {
        2 => name.Equals("te", StringComparison.OrdinalIgnoreCase),
        4 => name.Equals("host", StringComparison.OrdinalIgnoreCase),
        7 => name.Equals("upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("trailer", StringComparison.OrdinalIgnoreCase),
        10 => name.Equals("connection", StringComparison.OrdinalIgnoreCase) || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase),
        14 => name.Equals("content-length", StringComparison.OrdinalIgnoreCase),
        16 => name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase),
        17 => name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase),
        _ => name.Length > 0 && name[0] == ':',
    };

    private static void CheckToken(string name)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAnyExcept(TokenChars) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a valid HTTP field name.", nameof(name));
        }
    }

    private static void CheckValue(string value)
    {
        var span = value.AsSpan();
        if (span.IndexOfAny('\r', '\n', '\0') >= 0 || span.IndexOfAnyExceptInRange('\0', '\u00FF') >= 0)
        {
            throw new ArgumentException("An HTTP field value or target holds CR, LF, NUL or a character above U+00FF.", nameof(value));
        }
    }

    private void WriteLatin1(string text)
    {
        var span = _writer.GetSpan(text.Length);
        var written = Encoding.Latin1.GetBytes(text, span);
        _writer.Advance(written);
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        var span = _writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _writer.Advance(bytes.Length);
    }

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}

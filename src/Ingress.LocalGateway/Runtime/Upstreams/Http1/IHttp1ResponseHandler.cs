namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>
/// Receives an upstream response's status and fields as they are parsed, straight from the connection's buffer (no
/// intermediate header collection): the spans are only valid during the call. The framing fields
/// (<c>Content-Length</c>, <c>Transfer-Encoding</c>) and the hop-by-hop ones (<c>Connection</c>, <c>Keep-Alive</c>,
/// <c>Proxy-Connection</c>, <c>Upgrade</c>, <c>TE</c>, <c>Trailer</c>) are kept by the parser and never passed on;
/// <see cref="Http1ResponseHead"/> carries what they decided.
/// </summary>
public interface IHttp1ResponseHandler
{
    /// <summary>The final status line (interim 1xx responses are skipped). Called before any field.</summary>
    void OnStatus(int status, ReadOnlySpan<byte> reason);

    /// <summary>One response field, name and value as sent (value without surrounding whitespace), in order.</summary>
    void OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    /// <summary>One trailer field of a chunked response, in order.</summary>
    void OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);
}

/// <summary>How the body of an upstream response is delimited (RFC 9112 §6.3).</summary>
public enum Http1BodyFraming
{
    /// <summary>No body: a response to HEAD, 1xx, 204, 304, or <c>Content-Length: 0</c>.</summary>
    None,

    /// <summary><c>Content-Length</c> bytes.</summary>
    ContentLength,

    /// <summary><c>Transfer-Encoding: chunked</c>.</summary>
    Chunked,

    /// <summary>Neither field: the body ends when the upstream closes the connection (never reused).</summary>
    UntilClose,
}

/// <summary>What the parsed response head decided: status, version, body framing and whether the connection may be reused.</summary>
public readonly record struct Http1ResponseHead(int Status, bool IsHttp10, Http1BodyFraming Framing, long ContentLength, bool KeepAlive)
{
    /// <summary>The <c>Content-Length</c> the upstream sent (also on a 304 or a response to HEAD), else null.</summary>
    public long? DeclaredLength { get; init; }
}

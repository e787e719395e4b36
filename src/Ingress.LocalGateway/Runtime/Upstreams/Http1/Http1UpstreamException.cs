namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>What went wrong in an exchange with an upstream over HTTP/1.1, as the forwarding stage needs to tell it.</summary>
public enum Http1Failure
{
    /// <summary>No connection could be made (refused, unreachable, or the connect timeout passed).</summary>
    ConnectFailure,

    /// <summary>The upstream closed or reset the connection before its response was complete.</summary>
    ConnectionClosed,

    /// <summary>The upstream's response broke HTTP/1.1 framing or syntax (RFC 9112); nothing of it may be forwarded.</summary>
    ProtocolError,

    /// <summary>No byte came from the upstream within the activity timeout.</summary>
    Timeout,

    /// <summary>Reading the client's request body failed (the client's side, not the upstream's).</summary>
    RequestBody,
}

/// <summary>
/// An HTTP/1.1 exchange with an upstream failed: <see cref="Failure"/> says how, <see cref="Details"/> names the rule
/// (Envoy's codec detail where one exists, e.g. <c>http1.content_length_and_chunked_not_allowed</c>).
/// </summary>
public sealed class Http1UpstreamException : IOException
{
    public Http1UpstreamException(Http1Failure failure, string details, Exception? inner = null)
        : base($"HTTP/1.1 upstream {failure}: {details}", inner)
    {
        Failure = failure;
        Details = details;
    }

    /// <summary>How the exchange failed.</summary>
    public Http1Failure Failure { get; }

    /// <summary>The rule or event, in Envoy's words where it has them.</summary>
    public string Details { get; }

    internal static Http1UpstreamException Protocol(string details) => new(Http1Failure.ProtocolError, details);
}

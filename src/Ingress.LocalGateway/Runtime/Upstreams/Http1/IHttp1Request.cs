using System.IO.Pipelines;

namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>
/// The request an <see cref="Http1ConnectionPool"/> sends: read by the pool once per attempt, written straight into
/// the connection (no intermediate request object).
/// </summary>
public interface IHttp1Request
{
    /// <summary>The method token (<c>GET</c>).</summary>
    string Method { get; }

    /// <summary>The origin-form target: path and query as they go upstream.</summary>
    string Target { get; }

    /// <summary>The <c>Host</c> field.</summary>
    string Authority { get; }

    /// <summary>The body to stream upstream, or null for none.</summary>
    PipeReader? Body { get; }

    /// <summary>The body's length when known (sent as <c>Content-Length</c>); null with a body means chunked.</summary>
    long? BodyLength { get; }

    /// <summary>Writes the end-to-end fields; framing and hop-by-hop fields given here are dropped by the writer.</summary>
    void WriteHeaders(Http1RequestWriter writer);
}

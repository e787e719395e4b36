using System.Collections.Frozen;
using Ingress.LocalGateway.Snapshot;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ingress.LocalGateway.Runtime.Edge;

/// <summary>
/// Turns the wire request into the one request every later stage reads, in place, as Envoy's codec and connection
/// manager do before any filter runs: the request line and framing checked (what the codec refuses is refused here),
/// then the path normalized once by the mesh's <see cref="PathNormalization"/> and written back into the request, so
/// routing, JWT, authorization, rewrites, forwarding, the access log and the metrics cannot see two different paths.
/// </summary>
public static class RequestCanonicalizer
{
    /// <summary>Envoy's default limit on a request's headers (<c>max_request_headers_kb</c>, 60 KiB), the URL included.</summary>
    public const int MaxHeadersBytes = 60 * 1024;

    /// <summary>Envoy's default limit on the number of request headers (<c>max_headers_count</c>).</summary>
    public const int MaxHeadersCount = 100;

    // The methods Envoy's HTTP/1 parser (Balsa, allow_custom_methods off as Istio leaves it) accepts, case-sensitively
    // (quiche balsa_frame and Envoy's BalsaParser::isMethodValid): "get", "Delete" or "QUERY" are 400 http1.codec_error.
    private static readonly FrozenSet<string> Http1Methods = FrozenSet.Create(StringComparer.Ordinal,
        "ACL", "BIND", "CHECKOUT", "CONNECT", "COPY", "DELETE", "GET", "HEAD", "LINK", "LOCK", "MERGE", "MKACTIVITY",
        "MKCALENDAR", "MKCOL", "MOVE", "MSEARCH", "NOTIFY", "OPTIONS", "PATCH", "POST", "PROPFIND", "PROPPATCH", "PURGE",
        "PUT", "REBIND", "REPORT", "SEARCH", "SOURCE", "SUBSCRIBE", "TRACE", "UNBIND", "UNLINK", "UNLOCK", "UNSUBSCRIBE");

    // Kestrel frames a request that has both Content-Length and a chunked Transfer-Encoding by the chunks and moves the
    // Content-Length value to this header, so this is where the conflict is still visible.
    private const string KestrelMovedContentLength = "X-Content-Length";

    /// <summary>
    /// Checks the request and normalizes its target in place. Null when it may go on; else the refusal to answer with
    /// (no stage runs for it).
    /// </summary>
    public static Refusal? Apply(HttpContext http, PathNormalization mode, out CanonicalTarget target)
    {
        var request = http.Request;
        var feature = http.Features.Get<IHttpRequestFeature>()!;
        var received = ReceivedTarget(feature, request);
        var rawPathLength = received.IndexOfAny(['?', '#']) is var end and >= 0 ? end : received.Length;
        target = new CanonicalTarget(received, received[..rawPathLength], rawPathLength, received);
        var http1 = HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol);
        // Taken first, whatever is refused below: the verdicts of a connection are handed out in request order.
        var head = http1 ? TakeHeadVerdict(http, feature) : Http1HeadVerdict.Unknown;
        if (http1 ? !Http1Methods.Contains(request.Method) : HasLowerCase(request.Method))
        {
            // HTTP/1: Envoy's codec knows only its upper-case methods. HTTP/2: Envoy would accept a lower-case :method
            // and RBAC would then fail to match it, while a backend that compares methods case-insensitively (ASP.NET
            // Core does) acts on it: Istio documents "400 for a method not in upper case", which is what is done.
            return http1 ? Refusal.CodecError : Refusal.MethodNotUpperCase;
        }

        if (head == Http1HeadVerdict.ContentLengthRefused)
        {
            // Envoy's codec (Balsa, BalsaFrame::ProcessContentLengthLine and ProcessHeaderLines) refuses a Content-Length
            // that is not 1+ digits within 64 bits (+5, -0) and a second Content-Length, even an equal one
            // (disallow_multiple_content_length): 400 http1.codec_error. Kestrel has already read "+5" as 5 and
            // rewritten the header, so the verdict comes from the bytes on the wire (Hosting's framing inspector).
            return Refusal.CodecError;
        }

        var headers = request.Headers;
        if (headers.TransferEncoding.Count > 0 && http1)
        {
            if (headers.ContentLength is not null || headers.ContainsKey(KestrelMovedContentLength))
            {
                // Envoy's codec default (allow_chunked_length off): a proxy and a backend that pick different lengths
                // is how requests are smuggled (RFC 9112 §6.3).
                return Refusal.ContentLengthAndChunked;
            }

            if (!string.Equals(headers.TransferEncoding.ToString().Trim(), "chunked", StringComparison.OrdinalIgnoreCase))
            {
                // Envoy answers 501 for any transfer coding but exactly "chunked" ("identity, chunked", "gzip, chunked",
                // two chunked lines): ConnectionImpl::onHeadersCompleteImpl.
                return Refusal.InvalidTransferEncoding;
            }
        }

        if (TooLarge(received, headers))
        {
            return Refusal.HeadersTooLarge;
        }

        if (!PathCanonicalizer.TryNormalize(received, mode, out var pathAndQuery, out var pathLength))
        {
            return Refusal.PathNormalizationFailed;
        }

        target = new CanonicalTarget(pathAndQuery, pathAndQuery[..pathLength], pathLength, received);
        if (!string.Equals(pathAndQuery, feature.RawTarget, StringComparison.Ordinal))
        {
            // Written back, as Envoy rewrites :path in place: whatever reads the request later sees this one.
            feature.RawTarget = pathAndQuery;
            feature.Path = PathString.FromUriComponent(target.Path).Value ?? "/";
            feature.PathBase = "";
            feature.QueryString = pathAndQuery[pathLength..];
        }

        return null;
    }

    /// <summary>
    /// Hands out the connection's next head verdict for a request that is answered without being canonicalized, so that
    /// the next request gets its own.
    /// </summary>
    public static void SkipHeadVerdict(HttpContext http)
    {
        var protocol = http.Request.Protocol;
        if (HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol))
        {
            TakeHeadVerdict(http, http.Features.Get<IHttpRequestFeature>()!);
        }
    }

    // The verdict the listener's framing inspector recorded on this request's head as it crossed the wire (Unknown on a
    // connection that is not watched).
    private static Http1HeadVerdict TakeHeadVerdict(HttpContext http, IHttpRequestFeature feature) =>
        http.Features.Get<Http1HeadVerdicts>() is { } verdicts
            ? verdicts.Take(feature.Method, feature.RawTarget)
            : Http1HeadVerdict.Unknown;

    /// <summary>
    /// Writes a refusal on a request that has no gateway context (the workload proxy's inbound side); the gateway
    /// answers through its local replies, which also log and count it.
    /// </summary>
    public static async Task WriteAsync(HttpContext http, Refusal refusal, string serverHeader)
    {
        var response = http.Response;
        response.StatusCode = refusal.Status;
        response.Headers.Server = serverHeader;
        if (refusal.CloseConnection)
        {
            response.Headers.Connection = "close";
        }

        var body = System.Text.Encoding.UTF8.GetBytes(refusal.Body);
        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            response.ContentType = "text/plain";
            await response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static bool HasLowerCase(string method)
    {
        foreach (var c in method)
        {
            if (char.IsAsciiLetterLower(c))
            {
                return true;
            }
        }

        return false;
    }

    // Envoy counts the URL and every header's name and value against max_request_headers_kb, and the number of
    // headers against max_headers_count (ServerConnectionImpl::getHeadersSize, completeCurrentHeader). Kestrel's own
    // limits are set to the same values; this is the combined one it does not have.
    private static bool TooLarge(string target, IHeaderDictionary headers)
    {
        long size = target.Length;
        foreach (var (name, values) in headers)
        {
            size += name.Length;
            foreach (var value in values)
            {
                size += value?.Length ?? 0;
            }
        }

        return size > MaxHeadersBytes || headers.Count > MaxHeadersCount;
    }

    private static string ReceivedTarget(IHttpRequestFeature feature, HttpRequest request)
    {
        var raw = feature.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            return raw;
        }

        // Absolute form (GET http://host/path HTTP/1.1): Envoy routes its path part.
        var scheme = raw?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (scheme > 0)
        {
            var slash = raw!.IndexOf('/', scheme + 3);
            var query = raw.IndexOf('?', scheme + 3);
            return slash >= 0 && (query < 0 || slash < query) ? raw[slash..] : "/" + (query >= 0 ? raw[query..] : "");
        }

        return request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
    }
}

/// <summary>The request target after normalization.</summary>
/// <param name="PathAndQuery">The normalized path with the query as received (what is forwarded and logged).</param>
/// <param name="Path">The normalized path without the query (what routes, policies and rewrites see).</param>
/// <param name="PathLength">The length of <paramref name="Path"/> within <paramref name="PathAndQuery"/>.</param>
/// <param name="Received">The target exactly as the client sent it (for diagnostics only; nothing decides on it).</param>
public readonly record struct CanonicalTarget(string PathAndQuery, string Path, int PathLength, string Received)
{
    /// <summary>The raw query without <c>?</c>.</summary>
    public string Query => PathLength < PathAndQuery.Length ? PathAndQuery[(PathLength + 1)..] : "";
}

/// <summary>How a request is refused before any stage: Envoy's status, response flag, details and body.</summary>
public sealed record Refusal(int Status, string? Flags, string Details, string Body, bool CloseConnection)
{
    /// <summary>Envoy's HTTP/1 codec refusing the request line or a header: 400 DPE, <c>Bad Request</c>.</summary>
    public static Refusal CodecError { get; } = new(400, "DPE", "http1.codec_error", "Bad Request", true);

    /// <summary>A lower-case HTTP/2 method (see <see cref="RequestCanonicalizer"/>).</summary>
    public static Refusal MethodNotUpperCase { get; } = new(400, "DPE", "method_not_upper_case", "Bad Request", false);

    /// <summary>Content-Length together with Transfer-Encoding.</summary>
    public static Refusal ContentLengthAndChunked { get; } =
        new(400, "DPE", "http1.content_length_and_chunked_not_allowed", "Bad Request", true);

    /// <summary>A transfer coding other than exactly <c>chunked</c>.</summary>
    public static Refusal InvalidTransferEncoding { get; } =
        new(501, "DPE", "http1.invalid_transfer_encoding", "Not Implemented", true);

    /// <summary>More than 60 KiB of URL and headers, or more than 100 headers.</summary>
    public static Refusal HeadersTooLarge { get; } =
        new(431, "DPE", "http1.headers_too_large", "Request Header Fields Too Large", true);

    /// <summary>A path normalization refuses (<c>%00</c>): 400 with an empty body.</summary>
    public static Refusal PathNormalizationFailed { get; } = new(400, null, "path_normalization_failed", "", false);
}

using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime.Edge;

/// <summary>
/// Refuses an HTTP/1 request that carries both <c>Content-Length</c> and <c>Transfer-Encoding</c>, as Envoy's codec
/// does by default (400, DPE, <c>http1.content_length_and_chunked_not_allowed</c>): a proxy and a backend that pick
/// different lengths is how requests are smuggled (RFC 9112 §6.3).
/// </summary>
public sealed class RequestFramingStage : IRequestStage
{
    /// <summary>Envoy's <c>%RESPONSE_CODE_DETAILS%</c> for this refusal.</summary>
    public const string ContentLengthAndChunked = "http1.content_length_and_chunked_not_allowed";

    // Kestrel accepts such a request: it frames the body by the chunks and moves the Content-Length value to this
    // header, so this is where the conflict is still visible (a client sending this header itself with a chunked
    // body is refused too; no known client does).
    private const string KestrelMovedContentLength = "X-Content-Length";

    /// <inheritdoc />
    public ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var http = request.Http.Request;
        var headers = http.Headers;
        if (headers.TransferEncoding.Count > 0
            && (headers.ContentLength is not null || headers.ContainsKey(KestrelMovedContentLength))
            && (HttpProtocol.IsHttp11(http.Protocol) || HttpProtocol.IsHttp10(http.Protocol)))
        {
            return Refuse(request);
        }

        return ValueTask.FromResult(false);
    }

    private static async ValueTask<bool> Refuse(GatewayRequest request)
    {
        await LocalReply.DownstreamProtocolErrorReply(request, ContentLengthAndChunked).ConfigureAwait(false);
        return true;
    }
}

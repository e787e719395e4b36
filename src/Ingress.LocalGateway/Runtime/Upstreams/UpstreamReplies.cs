using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime.Upstreams;

/// <summary>Envoy's local replies for the cluster's own limits.</summary>
public static class UpstreamReplies
{
    /// <summary>Envoy's body when a circuit breaker overflows (the connection pool's reset reason <c>overflow</c>).</summary>
    public const string OverflowBody = "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    private static readonly byte[] Overflow = Encoding.UTF8.GetBytes(OverflowBody);

    /// <summary>
    /// 503 UO: a circuit breaker (max connections with max pending requests, or max requests) overflowed. Envoy's
    /// router adds <c>x-envoy-overloaded: true</c> to this reply.
    /// </summary>
    public static Task OverflowAsync(GatewayRequest request)
    {
        var response = request.Http.Response;
        if (!response.HasStarted)
        {
            // Set when the headers go out: the local reply clears the response headers first.
            response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers["x-envoy-overloaded"] = "true";
                return Task.CompletedTask;
            }, response);
        }

        return LocalReply.WriteAsync(request, StatusCodes.Status503ServiceUnavailable, "UO",
            "upstream_reset_before_response_started{overflow}", Overflow);
    }
}

using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime.Policies;

/// <summary>
/// Envoy's CORS filter for the matched route: a preflight (<c>OPTIONS</c> with <c>Origin</c> and
/// <c>Access-Control-Request-Method</c>) from an allowed origin is answered here with 200 and the
/// <c>access-control-*</c> headers; an unmatched preflight is forwarded (FORWARD, the default) or answered without
/// <c>access-control-allow-origin</c> (IGNORE). Any other request from an allowed origin has its origin latched, and
/// every reply to it (upstream or local) gets <c>access-control-allow-origin</c>, <c>-allow-credentials</c> and
/// <c>-expose-headers</c>.
/// </summary>
public sealed class CorsStage : IRequestStage
{
    /// <inheritdoc />
    public async ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var cors = request.Route!.Policies.Cors;
        if (cors is null)
        {
            return false;
        }

        var http = request.Http;
        var headers = http.Request.Headers;
        var origin = headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return false;
        }

        var allowed = cors.IsOriginAllowed(origin);
        if (allowed)
        {
            request.CorsOrigin = origin;
        }

        var requestedMethod = headers.AccessControlRequestMethod.ToString();
        if (!HttpMethods.IsOptions(http.Request.Method) || requestedMethod.Length == 0)
        {
            return false;
        }

        if (!allowed && cors.ForwardNotMatchingPreflights)
        {
            return false;
        }

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var replyHeaders = response.Headers;
        if (allowed)
        {
            replyHeaders.AccessControlAllowOrigin = origin;
        }

        if (cors.AllowCredentials)
        {
            replyHeaders.AccessControlAllowCredentials = "true";
        }

        if (cors.AllowMethods.Length > 0)
        {
            replyHeaders.AccessControlAllowMethods = cors.AllowMethods == "*" ? requestedMethod : cors.AllowMethods;
        }

        if (cors.AllowHeaders.Length > 0)
        {
            replyHeaders.AccessControlAllowHeaders = cors.AllowHeaders == "*" ? headers.AccessControlRequestHeaders.ToString() : cors.AllowHeaders;
        }

        if (cors.MaxAge.Length > 0)
        {
            replyHeaders.AccessControlMaxAge = cors.MaxAge;
        }

        response.ContentLength = 0;
        request.ResponseDetails = "cors_response";
        // A preflight reply comes from the filter, not the router: no route response headers, no upstream.
        request.CorsOrigin = null;
        await response.StartAsync(http.RequestAborted).ConfigureAwait(false);
        return true;
    }

    /// <summary>Adds the CORS headers of a non-preflight reply to an allowed origin (Envoy's <c>encodeHeaders</c>).</summary>
    public static void ApplyResponseHeaders(GatewayRequest request)
    {
        if (request.CorsOrigin is not { } origin || request.Route?.Policies.Cors is not { } cors)
        {
            return;
        }

        var headers = request.Http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        if (cors.AllowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (cors.ExposeHeaders.Length > 0)
        {
            headers.AccessControlExposeHeaders = cors.ExposeHeaders;
        }
    }
}

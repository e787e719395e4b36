using System.Text;
using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Runtime.Policies;
using Ingress.LocalGateway.Snapshot.Routing;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// Envoy's own answers, with its status codes, response flags, details and bodies, so clients and tests cannot tell
/// the local gateway from Istio's.
/// </summary>
public static class LocalReply
{
    /// <summary>The server header Istio's gateway sends.</summary>
    public const string ServerHeader = "istio-envoy";

    private static readonly byte[] NoHealthyUpstream = Encoding.UTF8.GetBytes("no healthy upstream");
    private static readonly byte[] ConnectFailure = Encoding.UTF8.GetBytes(
        "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
    private static readonly byte[] ConnectionTermination = Encoding.UTF8.GetBytes(
        "upstream connect error or disconnect/reset before headers. reset reason: connection termination");
    private static readonly byte[] UpstreamTimeout = Encoding.UTF8.GetBytes("upstream request timeout");
    private static readonly byte[] RetriedConnectFailure = Encoding.UTF8.GetBytes(
        "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection failure");
    private static readonly byte[] RetriedConnectionTermination = Encoding.UTF8.GetBytes(
        "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection termination");
    private static readonly byte[] FaultAbort = Encoding.UTF8.GetBytes("fault filter abort");
    private static readonly byte[] BadRequest = Encoding.UTF8.GetBytes("Bad Request");

    /// <summary>404 NR: no virtual host or no route matched; empty body.</summary>
    public static Task RouteNotFound(GatewayRequest request) =>
        WriteAsync(request, StatusCodes.Status404NotFound, "NR", "route_not_found", []);

    /// <summary>503 NC (or the route's own status, 500 for a Gateway API route): the route's cluster does not exist.</summary>
    public static Task ClusterNotFound(GatewayRequest request, int status = StatusCodes.Status503ServiceUnavailable) =>
        WriteAsync(request, status, "NC", "cluster_not_found", []);

    /// <summary>503 UH: the cluster has no endpoint.</summary>
    public static Task NoHealthyUpstreamReply(GatewayRequest request) =>
        WriteAsync(request, StatusCodes.Status503ServiceUnavailable, "UH", "no_healthy_upstream", NoHealthyUpstream);

    /// <summary>503 UF: the upstream connection could not be made (Envoy says "retried and the latest" after retries).</summary>
    public static Task ConnectFailureReply(GatewayRequest request, bool retried = false) =>
        WriteAsync(request, StatusCodes.Status503ServiceUnavailable, "UF",
            "upstream_reset_before_response_started{connection_failure}", retried ? RetriedConnectFailure : ConnectFailure);

    /// <summary>503 UC: the upstream closed the connection before answering.</summary>
    public static Task ConnectionTerminationReply(GatewayRequest request, bool retried = false) =>
        WriteAsync(request, StatusCodes.Status503ServiceUnavailable, "UC",
            "upstream_reset_before_response_started{connection_termination}", retried ? RetriedConnectionTermination : ConnectionTermination);

    /// <summary>504 UT: the route timeout expired.</summary>
    public static Task UpstreamTimeoutReply(GatewayRequest request) =>
        WriteAsync(request, StatusCodes.Status504GatewayTimeout, "UT", "upstream_response_timeout", UpstreamTimeout);

    /// <summary>504 UT: the last attempt's per-try timeout expired.</summary>
    public static Task PerTryTimeoutReply(GatewayRequest request) =>
        WriteAsync(request, StatusCodes.Status504GatewayTimeout, "UT", "upstream_per_try_timeout", UpstreamTimeout);

    /// <summary>
    /// The fault filter's abort (<c>FI</c>, <c>fault filter abort</c>). A gRPC status abort answers HTTP 200; a gRPC
    /// request gets it as a trailers-only gRPC reply (the HTTP status mapped to a gRPC status when none is given).
    /// </summary>
    public static async Task FaultAbortReply(GatewayRequest request, int? httpStatus, int? grpcStatus)
    {
        var status = httpStatus ?? StatusCodes.Status200OK;
        var contentType = request.Http.Request.ContentType;
        if (contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            request.AddResponseFlag("FI");
            request.ResponseDetails = "fault_filter_abort";
            var response = request.Http.Response;
            response.Headers.Clear();
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers.Server = ServerHeader;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = (grpcStatus ?? GrpcStatusForHttp(status)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = "fault filter abort";
            response.ContentLength = 0;
            ApplyRouteResponseHeaders(request);
            await response.StartAsync(request.Http.RequestAborted).ConfigureAwait(false);
            return;
        }

        await WriteAsync(request, status, "FI", "fault_filter_abort", FaultAbort).ConfigureAwait(false);
    }

    // Envoy's Grpc::Utility::httpToGrpcStatus.
    private static int GrpcStatusForHttp(int status) => status switch
    {
        400 => 13,
        401 => 16,
        403 => 7,
        404 => 12,
        429 or 502 or 503 or 504 => 14,
        _ => 2,
    };
    /// <summary>
    /// 400 DPE: the client broke HTTP/1 framing (Envoy's codec answers <c>Bad Request</c> and closes the connection,
    /// since what follows on it cannot be trusted to start a new request).
    /// </summary>
    public static Task DownstreamProtocolErrorReply(GatewayRequest request, string details) =>
        WriteAsync(request, StatusCodes.Status400BadRequest, "DPE", details, BadRequest, closeConnection: true);

    /// <summary>Answers a request refused before any stage ran (see <see cref="RequestCanonicalizer"/>).</summary>
    public static Task RefuseAsync(GatewayRequest request, Refusal refusal) =>
        WriteAsync(request, refusal.Status, refusal.Flags, refusal.Details,
            refusal.Body.Length == 0 ? [] : Encoding.UTF8.GetBytes(refusal.Body), closeConnection: refusal.CloseConnection);

    /// <summary>Writes a local reply: status, flags, details, <c>text/plain</c> body, the route's response headers.</summary>
    public static async Task WriteAsync(GatewayRequest request, int status, string? flags, string details, byte[] body, string? location = null,
        bool closeConnection = false)
    {
        request.AddResponseFlag(flags);
        request.ResponseDetails = details;
        var response = request.Http.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.Headers.Clear();
        response.StatusCode = status;
        response.Headers.Server = ServerHeader;
        if (body.Length > 0)
        {
            response.ContentType = "text/plain";
        }

        if (location is not null)
        {
            response.Headers.Location = location;
        }

        if (closeConnection)
        {
            response.Headers.Connection = "close";
        }

        response.ContentLength = body.Length;
        ApplyRouteResponseHeaders(request);
        if (body.Length > 0)
        {
            await response.Body.WriteAsync(body, request.Http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Applies the route's (and destination's) response header operations, as Envoy does for local replies too.</summary>
    public static void ApplyRouteResponseHeaders(GatewayRequest request)
    {
        var headers = request.Http.Response.Headers;
        var destination = request.Destination;
        var route = request.Route;
        if (route is null)
        {
            return;
        }

        ApplyRouteAndDestination(request, headers, route, destination);

        // The CORS filter's encodeHeaders runs after the router has added the route's response headers.
        CorsStage.ApplyResponseHeaders(request);
    }

    private static void ApplyRouteAndDestination(GatewayRequest request, IHeaderDictionary headers, RouteEntry route,
        WeightedDestination? destination)
    {
        if (destination is not null && request.Route!.Action is ForwardAction { Destinations.Count: > 1 })
        {
            // Weighted clusters: the destination's operations first, the route's after (and so winning).
            destination.ResponseHeaders.Apply(headers);
            route.ResponseHeaders.Apply(headers);
        }
        else
        {
            route.ResponseHeaders.Apply(headers);
            destination?.ResponseHeaders.Apply(headers);
        }
    }
}

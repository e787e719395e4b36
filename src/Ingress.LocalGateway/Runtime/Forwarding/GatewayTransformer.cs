using System.Diagnostics;
using System.Globalization;
using Ingress.LocalGateway.Snapshot.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Runtime.Forwarding;

/// <summary>
/// Shapes the upstream request and the downstream response as Envoy's router does: the Host and path chosen by the
/// route, headers named by <c>Connection</c> dropped, x-envoy-attempt-count; <c>server: istio-envoy</c>,
/// x-envoy-upstream-service-time and the route's response header operations on the way back.
/// </summary>
public sealed class GatewayTransformer : HttpTransformer
{
    /// <summary>The shared instance (it holds no state; the request's state travels in its features).</summary>
    public static GatewayTransformer Instance { get; } = new();

    /// <summary>How the upstream URL is parsed: its path and query exactly as given (no dot-segment or escape changes).</summary>
    public static readonly UriCreationOptions UpstreamUri = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        var request = httpContext.Features.Get<GatewayRequest>()!;
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        RemoveConnectionNominated(httpContext.Request.Headers, proxyRequest);
        proxyRequest.Headers.Host = request.UpstreamAuthority;
        proxyRequest.Headers.Remove("x-envoy-attempt-count");
        proxyRequest.Headers.TryAddWithoutValidation("x-envoy-attempt-count", request.Attempt.ToString(CultureInfo.InvariantCulture));
        // Built as is: the path was normalized once on arrival and rewritten since; a Uri that canonicalized it again
        // would send the backend a different path than the one routed and authorized.
        proxyRequest.RequestUri = new Uri(destinationPrefix + request.UpstreamPathAndQuery, UpstreamUri);
        request.Trace?.StartUpstreamAttempt(request, proxyRequest);
        request.UpstreamStartTimestamp = Stopwatch.GetTimestamp();
    }

    /// <inheritdoc />
    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var request = httpContext.Features.Get<GatewayRequest>()!;
        if (proxyResponse is not null && request.RetryPolicy is { } retry && IsRetriable(retry, proxyResponse))
        {
            if (request.RetriesLeft)
            {
                // A retry needs a slot of the cluster's retry budget (maxRetries); without one Envoy passes the
                // response on and flags the overflow (UO).
                if (request.Upstream?.TryAcquireRetry() is { } slot)
                {
                    request.Trace?.OnUpstreamResponse(proxyResponse);
                    // Envoy's router drops a retriable response and tries again; nothing of it goes downstream.
                    request.PendingRetry = slot;
                    request.RetryableResponse = true;
                    return false;
                }

                request.AddResponseFlag("UO");
            }
            else
            {
                request.AddResponseFlag("URX");
            }
        }

        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse is null)
        {
            return copy;
        }

        request.Trace?.OnUpstreamResponse(proxyResponse);
        var elapsed = (long)Stopwatch.GetElapsedTime(request.UpstreamStartTimestamp).TotalMilliseconds;
        request.UpstreamServiceTimeMs = elapsed;
        request.ResponseDetails = "via_upstream";
        var headers = httpContext.Response.Headers;
        headers.Server = LocalReply.ServerHeader;
        headers["x-envoy-upstream-service-time"] = elapsed.ToString(CultureInfo.InvariantCulture);
        LocalReply.ApplyRouteResponseHeaders(request);
        return copy;
    }

    // Envoy's wouldRetryFromHeaders: never when the upstream says it is overloaded or rate limited.
    private static bool IsRetriable(RetryPolicy retry, HttpResponseMessage response)
    {
        var headers = response.Headers;
        if (headers.Contains("x-envoy-overloaded") || headers.Contains("x-envoy-ratelimited"))
        {
            return false;
        }

        var grpcStatus = headers.TryGetValues("grpc-status", out var values) ? values.FirstOrDefault() : null;
        return retry.RetriesStatus((int)response.StatusCode, grpcStatus);
    }

    private static void RemoveConnectionNominated(IHeaderDictionary incoming, HttpRequestMessage proxyRequest)
    {
        var connection = incoming.Connection;
        if (connection.Count == 0)
        {
            return;
        }

        foreach (var value in connection)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!token.Equals("close", StringComparison.OrdinalIgnoreCase) && !token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase))
                {
                    proxyRequest.Headers.Remove(token);
                    proxyRequest.Content?.Headers.Remove(token);
                }
            }
        }
    }
}

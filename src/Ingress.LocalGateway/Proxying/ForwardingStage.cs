using System.Net.Sockets;
using Ingress.LocalGateway.LocalReplies;
using Ingress.LocalGateway.Pipeline;
using Ingress.LocalGateway.Routing;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Proxying;

/// <summary>
/// Forwards a routed request with YARP's <see cref="IHttpForwarder"/>: picks the weighted destination and an endpoint,
/// applies the route's header operations, rewrites and authority, enforces the route timeout, and turns upstream
/// failures into Envoy's local replies (503 NC/UH/UF/UC, 504 UT).
/// </summary>
public sealed class ForwardingStage : IRequestStage
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        // Istio sets no route timeout; the idle limit only guards against upstreams that never answer.
        ActivityTimeout = TimeSpan.FromMinutes(10),
    };

    private readonly IHttpForwarder _forwarder;

    public ForwardingStage(IHttpForwarder forwarder) => _forwarder = forwarder;

    /// <inheritdoc />
    public async ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var route = request.Route!;
        var action = (ForwardAction)route.Action;
        var destination = action.Pick();
        request.Destination = destination;
        PrepareUpstreamRequest(request, route, destination, action.Destinations.Count > 1);
        if (destination.Cluster is null)
        {
            await LocalReply.ClusterNotFound(request).ConfigureAwait(false);
            return true;
        }

        var endpoint = destination.Cluster.PickEndpoint();
        if (endpoint is null)
        {
            await LocalReply.NoHealthyUpstreamReply(request).ConfigureAwait(false);
            return true;
        }

        request.Endpoint = endpoint;
        var timeout = route.Policies.Timeout;
        using var timeoutSource = timeout is null ? null : new CancellationTokenSource(timeout.Value);
        var error = await _forwarder.SendAsync(request.Http, endpoint.Prefix, destination.Cluster.Client, RequestConfig,
            GatewayTransformer.Instance, timeoutSource?.Token ?? CancellationToken.None).ConfigureAwait(false);
        if (error != ForwarderError.None)
        {
            await ReportErrorAsync(request, error, timeoutSource?.IsCancellationRequested == true).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Header operations, path rewrite and authority, applied to the request as Envoy's router does.</summary>
    public static void PrepareUpstreamRequest(GatewayRequest request, RouteEntry route, WeightedDestination destination, bool weighted)
    {
        var headers = request.Http.Request.Headers;
        if (weighted)
        {
            destination.RequestHeaders.Apply(headers);
            route.RequestHeaders.Apply(headers);
        }
        else
        {
            route.RequestHeaders.Apply(headers);
            destination.RequestHeaders.Apply(headers);
        }

        request.UpstreamAuthority = route.Authority ?? destination.Authority ?? request.Authority;
        if (route.Rewrite is not null)
        {
            var path = route.Rewrite.Apply(request.Path);
            request.UpstreamPathAndQuery = request.Query.Length > 0 ? path + "?" + request.Query : path;
            headers["x-envoy-original-path"] = request.OriginalPathAndQuery;
        }
        else
        {
            request.UpstreamPathAndQuery = request.OriginalPathAndQuery;
        }
    }

    private static Task ReportErrorAsync(GatewayRequest request, ForwarderError error, bool timedOut)
    {
        var http = request.Http;
        if (timedOut || error == ForwarderError.RequestTimedOut)
        {
            if (http.Response.HasStarted)
            {
                request.ResponseFlags = "UT";
                request.ResponseDetails = "upstream_response_timeout";
                return Task.CompletedTask;
            }

            return LocalReply.UpstreamTimeoutReply(request);
        }

        if (http.RequestAborted.IsCancellationRequested || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
                or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeRequestCanceled)
        {
            request.ResponseFlags = "DC";
            request.ResponseDetails = "downstream_remote_disconnect";
            return Task.CompletedTask;
        }

        if (error == ForwarderError.RequestBodyClient)
        {
            // The client's body broke HTTP framing (a bad chunk size): the client's fault, 400 DPE as Envoy's codec.
            return LocalReply.DownstreamProtocolErrorReply(request, "http1.codec_error");
        }

        if (http.Response.HasStarted)
        {
            request.ResponseFlags = "UR";
            request.ResponseDetails = "upstream_reset_after_response_started{remote_reset}";
            return Task.CompletedTask;
        }

        var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error == ForwarderError.Request && IsConnectFailure(exception))
        {
            return LocalReply.ConnectFailureReply(request);
        }

        return LocalReply.ConnectionTerminationReply(request);
    }

    private static bool IsConnectFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException)
            {
                return true;
            }

            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }

        return false;
    }
}

using Ingress.LocalGateway.Runtime.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Runtime.Sidecar;

/// <summary>
/// Shapes a request the workload proxy forwards to its service: the caller's Host is kept (Envoy's inbound route does
/// not rewrite it) and the response carries <c>server: istio-envoy</c>, as every Istio proxy's does.
/// </summary>
internal sealed class SidecarTransformer : HttpTransformer
{
    public static SidecarTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest,
        string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Host = httpContext.Request.Host.Value;
        // The target the policies judged (normalized in place on arrival), sent as it is.
        var target = httpContext.Features.Get<IHttpRequestFeature>()!.RawTarget;
        proxyRequest.RequestUri = new Uri(destinationPrefix.TrimEnd('/') + target, GatewayTransformer.UpstreamUri);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse,
        CancellationToken cancellationToken)
    {
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse is not null)
        {
            httpContext.Response.Headers.Server = LocalReply.ServerHeader;
        }

        return copy;
    }
}

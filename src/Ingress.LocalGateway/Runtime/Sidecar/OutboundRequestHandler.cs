using System.Net;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Ingress.LocalGateway.Runtime.Security.Mtls;

namespace Ingress.LocalGateway.Runtime.Sidecar;

/// <summary>
/// The outbound side for one destination: the service's plain-text request is sent on with Istio mutual TLS,
/// presenting this workload's certificate, so the destination's proxy sees this workload as the caller.
/// </summary>
internal sealed class OutboundRequestHandler(IHttpForwarder forwarder, HttpMessageInvoker meshClient, Uri target)
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromMinutes(10),
    };

    private readonly string _prefix = new UriBuilder(target) { Scheme = Uri.UriSchemeHttps }.Uri.GetLeftPart(UriPartial.Authority);

    public async Task HandleAsync(HttpContext http)
    {
        // Outbound listeners sanitize the header: only an inbound proxy with a verified peer may set it.
        http.Request.Headers.Remove(ForwardedClientCert.HeaderName);
        var error = await forwarder.SendAsync(http, _prefix, meshClient, RequestConfig, SidecarTransformer.Instance).ConfigureAwait(false);
        if (error != ForwarderError.None && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            await InboundRequestHandler.WriteUpstreamFailureAsync(http, error).ConfigureAwait(false);
        }
    }
}

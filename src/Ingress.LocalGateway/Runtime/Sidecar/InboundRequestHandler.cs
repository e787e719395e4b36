using System.Net;
using System.Text;
using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Runtime.Sidecar;

/// <summary>
/// One request through the workload proxy's inbound side, in Envoy's filter order: <c>x-forwarded-client-cert</c>
/// (APPEND_FORWARD with Subject, URI and DNS, as Istio configures sidecars), JWT authentication and authorization for
/// the workload, then forwarding to the service on loopback.
/// </summary>
internal sealed class InboundRequestHandler(
    Func<SidecarState> state, IHttpForwarder forwarder, HttpMessageInvoker client, Uri forward, int workloadPort, string spiffeId)
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        ActivityTimeout = TimeSpan.FromMinutes(10),
    };

    private readonly string _prefix = forward.GetLeftPart(UriPartial.Authority);

    public async Task HandleAsync(HttpContext http)
    {
        // One view of the request, as at the gateway: Istio normalizes on the inbound side too, before RBAC.
        var current = state();
        if (RequestCanonicalizer.Apply(http, current.PathNormalization, out _) is { } refusal)
        {
            await RequestCanonicalizer.WriteAsync(http, refusal, LocalReply.ServerHeader).ConfigureAwait(false);
            return;
        }

        var certificate = http.Connection.ClientCertificate;
        SetForwardedClientCert(http.Request.Headers, certificate, spiffeId);
        var peerIp = http.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        var outcome = await SecurityEnforcer.EnforceAsync(current.Security, http, new ConnectionFacts
        {
            Peer = certificate is null ? null : PeerIdentity.FromCertificate(certificate),
            PeerIp = peerIp,
            RemoteIp = RemoteAddress.Resolve(peerIp, http.Request.Headers["x-forwarded-for"].ToString(), false, 0),
            LocalIp = http.Connection.LocalIpAddress,
            DestinationPort = workloadPort,
            Scheme = certificate is null ? "http" : "https",
        }, http.RequestAborted).ConfigureAwait(false);
        if (outcome.Denied)
        {
            http.Response.Headers.Server = LocalReply.ServerHeader;
            return;
        }

        var error = await forwarder.SendAsync(http, _prefix, client, RequestConfig, SidecarTransformer.Instance).ConfigureAwait(false);
        if (error != ForwarderError.None && !http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            await WriteUpstreamFailureAsync(http, error).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Envoy's APPEND_FORWARD: on a mutual TLS connection the element for this hop (By = this workload's identity) is
    /// appended to what the caller sent; on plain text the header is removed, so nobody can forge it.
    /// </summary>
    internal static void SetForwardedClientCert(IHeaderDictionary headers, System.Security.Cryptography.X509Certificates.X509Certificate2? peer,
        string localIdentity)
    {
        if (peer is null)
        {
            headers.Remove(ForwardedClientCert.HeaderName);
            return;
        }

        var element = ForwardedClientCert.Format(peer, [localIdentity], includeCert: false);
        var existing = headers[ForwardedClientCert.HeaderName].ToString();
        headers[ForwardedClientCert.HeaderName] = existing.Length == 0 ? element : existing + "," + element;
    }

    internal static async Task WriteUpstreamFailureAsync(HttpContext http, ForwarderError error)
    {
        var reason = error == ForwarderError.Request ? "connection failure" : "connection termination";
        var body = Encoding.UTF8.GetBytes("upstream connect error or disconnect/reset before headers. reset reason: " + reason);
        http.Response.Clear();
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.ContentType = "text/plain";
        http.Response.ContentLength = body.Length;
        http.Response.Headers.Server = LocalReply.ServerHeader;
        await http.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}

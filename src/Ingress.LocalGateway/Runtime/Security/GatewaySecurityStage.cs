using System.Net;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Microsoft.AspNetCore.Connections.Features;

namespace Ingress.LocalGateway.Runtime.Security;

/// <summary>
/// The gateway's security filters, in Envoy's order before routing: <c>x-forwarded-client-cert</c> sanitized and set
/// from the client certificate (SANITIZE_SET), then JWT authentication, then authorization. A verified token's claims
/// are left on the request for claim-based route matches.
/// </summary>
public sealed class GatewaySecurityStage(int numTrustedProxies = 0) : IRequestStage
{
    /// <inheritdoc />
    public async ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var http = request.Http;
        var headers = http.Request.Headers;
        headers.Remove(ForwardedClientCert.HeaderName);
        var certificate = http.Connection.ClientCertificate;
        PeerIdentity? peer = null;
        if (certificate is not null)
        {
            peer = PeerIdentity.FromCertificate(certificate);
            headers[ForwardedClientCert.HeaderName] = ForwardedClientCert.Format(certificate, [], includeCert: true);
        }

        var security = request.Serving.Security;
        if (security.IsEmpty)
        {
            return false;
        }

        var peerIp = http.Connection.RemoteIpAddress ?? IPAddress.Loopback;
        var outcome = await SecurityEnforcer.EnforceAsync(security, http, new ConnectionFacts
        {
            Peer = peer,
            PeerIp = peerIp,
            RemoteIp = RemoteAddress.Resolve(peerIp, IncomingForwardedFor(headers["x-forwarded-for"].ToString()), true, numTrustedProxies),
            LocalIp = http.Connection.LocalIpAddress,
            DestinationPort = TargetPort(request.Listener.Port),
            Sni = http.Features.Get<ITlsHandshakeFeature>()?.HostName is { Length: > 0 } sni ? sni : null,
            Scheme = request.Scheme,
        }, http.RequestAborted).ConfigureAwait(false);
        request.Jwt = outcome.Jwt;
        request.SecurityVerdict = outcome;
        if (outcome.Denied)
        {
            request.ResponseDetails = outcome.Details;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The port Envoy listens on in Istio's default chart (the Service's targetPort: 80→8080, 443→8443), which is what
    /// <c>destination.port</c> and <c>ports</c> see at a real gateway; ports from 1024 up are the same.
    /// </summary>
    public static int TargetPort(int gatewayPort) => gatewayPort < 1024 ? gatewayPort + 8000 : gatewayPort;

    // The edge stage has already appended the peer; the trusted-hop count applies to the header as it arrived.
    private static string? IncomingForwardedFor(string value)
    {
        var last = value.LastIndexOf(',');
        return last < 0 ? null : value[..last];
    }
}

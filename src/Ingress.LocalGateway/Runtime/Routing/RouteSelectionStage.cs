using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Routing;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime.Routing;

/// <summary>
/// Picks the route table (the HTTPS server chosen by SNI, or the port's merged HTTP table), the virtual host by Host
/// and the first matching route; answers 404 NR when there is none, and the httpsRedirect 301.
/// </summary>
public sealed class RouteSelectionStage : IRequestStage
{
    /// <inheritdoc />
    public async ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        RouteTable? table;
        if (request.Listener.Protocol == ListenerProtocol.Https)
        {
            request.ServerName = request.Http.Features.Get<ITlsHandshakeFeature>()?.HostName;
            if (string.IsNullOrEmpty(request.ServerName))
            {
                request.ServerName = null;
            }

            request.Server = request.Listener.SelectServer(request.ServerName);
            table = request.Server?.Routes;
        }
        else
        {
            table = request.Listener.HttpRoutes;
        }

        var vhost = table?.Select(request.Authority);
        if (vhost is null)
        {
            await LocalReply.RouteNotFound(request).ConfigureAwait(false);
            return true;
        }

        request.VirtualHost = vhost;
        if (vhost.RequireTls && request.Scheme == "http")
        {
            // Envoy's require_tls: https + Host verbatim + path and query.
            var location = "https://" + request.Authority + request.PathAndQuery;
            await LocalReply.WriteAsync(request, StatusCodes.Status301MovedPermanently, null, "direct_response", [], location).ConfigureAwait(false);
            return true;
        }

        var route = vhost.Match(request);
        if (route is null)
        {
            await LocalReply.RouteNotFound(request).ConfigureAwait(false);
            return true;
        }

        request.Route = route;
        if (route.Action is ForwardAction forward)
        {
            // Envoy resolves the (weighted) cluster with the route, so faults and CORS replies log it too.
            request.Destination = forward.Pick();
        }

        return false;
    }
}

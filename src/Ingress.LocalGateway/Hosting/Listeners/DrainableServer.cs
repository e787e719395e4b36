using System.Net;
using Ingress.LocalGateway.Runtime.Edge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// The Kestrel server on one address that the gateway's ports and the sidecar's listeners share: no Server header, no
/// body size limit, and connections that drain as Envoy's do (<see cref="ConnectionDrain"/>).
/// </summary>
internal static class DrainableServer
{
    /// <summary>
    /// Builds (does not start) the server: connections are counted first, then <paramref name="configure"/> sets the
    /// protocols and adds its own connection middleware; every request is watched by the drain, then handled.
    /// </summary>
    public static (WebApplication App, ConnectionDrain Drain) Build(ILoggerFactory loggerFactory, IPEndPoint address,
        Action<ListenOptions, ConnectionDrain> configure, RequestDelegate handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton<ILoggerFactory>(new KestrelLogFilter(loggerFactory));
        builder.Services.AddLogging();
        var drain = new ConnectionDrain();
        ConnectionDrain.AddClosableTransport(builder);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            // Envoy's defaults, which Istio keeps: 60 KiB of request line and headers, 100 headers. Kestrel's own are
            // smaller (8 KiB line, 32 KiB headers); the sum of both is checked per request by RequestCanonicalizer.
            kestrel.Limits.MaxRequestLineSize = RequestCanonicalizer.MaxHeadersBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = RequestCanonicalizer.MaxHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = RequestCanonicalizer.MaxHeadersCount;
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = RequestCanonicalizer.MaxHeadersBytes;
            // A request's :scheme is taken as sent (HTTP/2 with prior knowledge runs on a cleartext connection that
            // Kestrel is told is h2); the gateway's scheme comes from the listener, never from this.
            kestrel.AllowAlternateSchemes = true;
            kestrel.Listen(address, listen =>
            {
                listen.Use(drain.CountConnections);
                configure(listen, drain);
            });
        });
        var app = builder.Build();
        app.Run(context =>
        {
            drain.Watch(context);
            return handler(context);
        });
        return (app, drain);
    }

    /// <summary>The address a started server is bound to (the port Kestrel chose when 0 was asked for).</summary>
    public static IPEndPoint BoundAddress(WebApplication app, IPEndPoint requested) =>
        new(requested.Address, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port);
}

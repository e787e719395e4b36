using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ingress.Bench.Common;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.Bench.Yarp;

/// <summary>
/// The floor for a YARP-based gateway: Kestrel with TLS and YARP's forwarder, one exact route with a rewrite, a 404
/// for everything else, nothing more (no Istio semantics, headers, metrics or logging). Our gateway's distance to it is
/// what its own logic costs; its distance to nginx is what Kestrel + YARP cost.
/// </summary>
public static class PlainYarpProxy
{
    /// <summary>Serves until SIGTERM.</summary>
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var port = options.Int("port", 0);
        var backend = options.Required("backend");
        using var certificate = X509Certificate2.CreateFromPemFile(options.Required("cert"), options.Required("key"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHttpForwarder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        using var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var config = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };
        app.MapGet("/test/hello", async context =>
        {
            context.Request.Path = "/hello";
            await forwarder.SendAsync(context, backend, client, config, HttpTransformer.Default);
        });
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.RunAsync();
        return 0;
    }
}

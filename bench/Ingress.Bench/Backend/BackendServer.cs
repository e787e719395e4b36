using System.Text;
using Ingress.Bench.Common;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Ingress.Bench.Backend;

/// <summary>
/// The backend every contender proxies to: Kestrel on 127.0.0.1, every GET answered 200 with a fixed body (1 KB by
/// default), no logging, no middleware. With <c>--body hello.</c> it is also the "bare Kestrel" baseline for the
/// service. POST /v1/traces|metrics|logs answers 200 with an empty protobuf message, so it doubles as an OTLP sink.
/// </summary>
public static class BackendServer
{
    /// <summary>Serves until SIGTERM.</summary>
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var port = options.Int("port", 0);
        var body = options.Optional("body") is { } text
            ? Encoding.UTF8.GetBytes(text)
            : Encoding.ASCII.GetBytes(new string('x', options.Int("size", 1024)));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        // Marks what the backend answered, so a probe can tell a proxy's own rejection from a forwarded request.
        app.Use((context, next) =>
        {
            context.Response.Headers["x-bench-backend"] = "1";
            return next(context);
        });
        app.MapPost("/v1/{signal}", async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "application/x-protobuf";
        });
        app.MapGet("/{**path}", context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        await app.RunAsync();
        return 0;
    }
}

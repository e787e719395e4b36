using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ingress.Cli.Commands;

/// <summary>The console logging of the long-running proxies (<c>gateway</c>, <c>sidecar</c>).</summary>
internal static class ProxyLogging
{
    /// <summary>
    /// Single-line UTC console logs, every line on standard error (standard output belongs to the access log);
    /// framework chatter from ASP.NET Core and YARP only from Warning up.
    /// </summary>
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(logging =>
    {
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            })
            .AddFilter("Microsoft", LogLevel.Warning)
            // ASP.NET Core starts an Activity and a log scope for every request while this category is enabled at any
            // level, to correlate its "Request starting/finished" lines (Information, never shown here). The proxies
            // make their own spans and access log, so it is off: per request, one Activity and one scope fewer.
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
            .AddFilter("Yarp", LogLevel.Warning)
            // YARP logs every failed attempt at Warning with the exception's whole stack trace (about 5 KB for a
            // refused connection, three per request with Istio's default retries). The gateway logs each upstream
            // failure itself in one line (ForwardingStage, EventId 1500) and the access log has its flags.
            .AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.None)
            .SetMinimumLevel(LogLevel.Information);
    });
}

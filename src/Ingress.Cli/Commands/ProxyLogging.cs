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
            .AddFilter("Yarp", LogLevel.Warning)
            .SetMinimumLevel(LogLevel.Information);
    });
}

using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// The logger factory a gateway port's Kestrel gets: the gateway's own, minus Kestrel's start-up warning that an
/// endpoint allowing HTTP/1.1 and HTTP/2 without TLS will only speak HTTP/1.1 (event 64), which is not so here:
/// <see cref="CleartextHttp2"/> serves HTTP/2 with prior knowledge on it.
/// </summary>
internal sealed class KestrelLogFilter(ILoggerFactory inner) : ILoggerFactory
{
    private const string KestrelCategory = "Microsoft.AspNetCore.Server.Kestrel";
    private const int Http2WithoutTlsWarning = 64;

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == KestrelCategory ? new Filtered(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The factory is the gateway's: it is not disposed by the Kestrel server that borrows it.
    public void Dispose()
    {
    }

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != Http2WithoutTlsWarning)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}

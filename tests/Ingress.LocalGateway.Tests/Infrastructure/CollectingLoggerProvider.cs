using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>Keeps every log message at or above a level, formatted, so a test can assert what an operator reads.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();

    /// <summary>The messages logged so far, in order.</summary>
    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    /// <summary>How many messages contain <paramref name="text"/>.</summary>
    public int Count(string text) => _entries.Count(e => e.Message.Contains(text, StringComparison.Ordinal));

    /// <summary>A logger factory writing here.</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new Collector(this);

    public void Dispose()
    {
    }

    private sealed class Collector(CollectingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner._entries.Enqueue((logLevel, formatter(state, exception)));
            }
        }
    }
}

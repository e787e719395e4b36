using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace HttpServer.AccessLog;

/// <summary>Where access-log lines go; stdout unless a test replaces it.</summary>
public sealed record AccessLogOutput
{
    /// <summary>The writer lines are written to; only the writer's background task touches it.</summary>
    public required TextWriter Writer { get; init; }
}

/// <summary>Writes access-log lines from a queue on a background task, so requests never wait on stdout.</summary>
/// <remarks>
/// The queue is bounded; when stdout cannot keep up, new lines are dropped (and counted in a warning) rather than
/// slowing requests or growing memory. Stopping drains what is queued; the host stops this service after the
/// web server, so the last requests are logged.
/// </remarks>
public sealed partial class AccessLogWriter : BackgroundService
{
    private const int Capacity = 16_384;

    /// <summary>The pause between writing one batch of lines and waiting for the next.</summary>
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(20);

    private readonly Channel<AccessLogEntry> _queue = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly TextWriter _writer;
    private readonly AccessLogFormat _format;
    private readonly ILogger<AccessLogWriter> _logger;
    private long _dropped;
    private char[] _line = new char[512];

    /// <summary>Creates the writer for the configured format and output.</summary>
    public AccessLogWriter(IOptions<AccessLogOptions> options, AccessLogOutput output, ILogger<AccessLogWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        _format = options.Value.Format;
        _writer = output.Writer;
        _logger = logger;
    }

    /// <summary>False when the format is <c>Off</c>: the middleware then does no work at all.</summary>
    public bool Enabled => _format != AccessLogFormat.Off;

    /// <summary>Queues one entry; never blocks.</summary>
    public void Write(AccessLogEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not tied to stoppingToken: StopAsync completes the queue, and what is left is still written.
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var entry))
            {
                await WriteEntryAsync(entry).ConfigureAwait(false);
            }

            await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0)
            {
                LogDropped(_logger, dropped);
            }

            // Let the next lines gather before waking again: under load, waiting on the queue right away woke this
            // task (a thread-pool hand-off) and flushed stdout (a write call) for nearly every request. A line is
            // written at most this much later; stopping still drains everything queued.
            await Task.Delay(BatchInterval, CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Text lines are formatted into one buffer owned by this single reader, so a line costs no string; JSON (and a
    // line too long for the buffer, which then grows) goes through a string.
    private Task WriteEntryAsync(AccessLogEntry entry)
    {
        if (_format == AccessLogFormat.Text)
        {
            if (entry.TryFormatText(_line, out var written))
            {
                return _writer.WriteLineAsync(_line.AsMemory(0, written));
            }

            _line = new char[_line.Length * 2];
        }

        return _writer.WriteLineAsync(entry.Format(_format));
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Access log could not keep up: {Count} lines dropped")]
    private static partial void LogDropped(ILogger logger, long count);
}

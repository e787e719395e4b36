using System.Text;
using System.Threading.Channels;

namespace Ingress.LocalGateway.Runtime.AccessLog;

/// <summary>
/// Writes the access log off the request path: requests only enqueue their record; a background task formats and
/// writes them in batches. When the writer cannot keep up, records beyond the queue bound are dropped and counted.
/// </summary>
public sealed class AccessLogWriter : IRequestObserver, IAsyncDisposable
{
    private readonly Channel<RequestRecord> _queue = Channel.CreateBounded<RequestRecord>(
        new BoundedChannelOptions(65536) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly TextWriter _output;
    private readonly AccessLogFormat _format;
    private readonly Task _pump;
    private long _dropped;

    public AccessLogWriter(TextWriter output, AccessLogFormat format)
    {
        _output = output;
        _format = format;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Records not written because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc />
    public void OnCompleted(RequestRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task PumpAsync()
    {
        var builder = new StringBuilder(4096);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                if (_format == AccessLogFormat.Json)
                {
                    builder.Append(AccessLogFormatter.Json(record)).Append('\n');
                }
                else
                {
                    AccessLogFormatter.AppendText(builder, record);
                }

                if (builder.Length > 32768)
                {
                    await FlushAsync(builder).ConfigureAwait(false);
                }
            }

            await FlushAsync(builder).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(StringBuilder builder)
    {
        if (builder.Length == 0)
        {
            return;
        }

        try
        {
            await _output.WriteAsync(builder.ToString()).ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Standard output closed: the gateway keeps serving.
        }

        builder.Clear();
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }
}

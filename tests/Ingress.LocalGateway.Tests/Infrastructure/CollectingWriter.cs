using System.Collections.Concurrent;
using System.Text;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>A thread-safe TextWriter that keeps every complete line written (the gateway's access log).</summary>
public sealed class CollectingWriter : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _partial = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines => [.. _lines];

    public override void Write(char value)
    {
        lock (_lock)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString());
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task FlushAsync() => Task.CompletedTask;

    /// <summary>Waits (polling, with a deadline) for a line containing the text.</summary>
    public async Task<string> WaitForLineAsync(string contains, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var line = _lines.FirstOrDefault(l => l.Contains(contains, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no access log line containing '{contains}'; lines: {string.Join("\n", _lines)}");
    }
}

using System.Collections.Concurrent;
using System.Text;

namespace HttpServer.Tests.Support;

/// <summary>A thread-safe writer that keeps each written line, standing in for stdout.</summary>
public sealed class LineCollector : TextWriter
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _partial = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public IReadOnlyList<string> Lines => [.. _lines];

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    public override void WriteLine(string? value) => _lines.Enqueue(value ?? "");

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <summary>Waits (polling, with a deadline) until <paramref name="count"/> lines match, and returns them.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(Func<string, bool> match, int count = 1)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = Lines.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"expected {count} matching line(s); have:\n{string.Join('\n', Lines)}");
            }

            await Task.Delay(20);
        }
    }
}

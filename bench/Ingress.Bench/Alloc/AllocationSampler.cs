using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Ingress.Bench.Alloc;

/// <summary>
/// Which types the allocations are made of, from the runtime's own sampling: the GC raises an AllocationTick event each
/// time about 100 KB has been allocated, naming the type of the object that crossed the mark, so the count of ticks per
/// type is proportional to the bytes of that type (statistically; the totals come from the exact counter).
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEventId = 10;
    private ConcurrentDictionary<string, long> _bytes = new();

    /// <summary>Starts a fresh tally and returns the previous one.</summary>
    public IReadOnlyDictionary<string, long> Swap() => Interlocked.Exchange(ref _bytes, new ConcurrentDictionary<string, long>());

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload![t] as string : null;
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload![a]) : 0;
        _bytes.AddOrUpdate(type ?? "?", amount, (_, sum) => sum + amount);
    }
}

using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Tests.Architecture;

/// <summary>
/// Every log event of the gateway and the workload proxy has its id from <see cref="LogEvents"/>, and no two events
/// share one: an operator filtering a log by event id finds one kind of line, and the ids stay stable across releases.
/// </summary>
public sealed class LogEventTests
{
    private static readonly Dictionary<int, string> Catalogue = typeof(LogEvents)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(int))
        .ToDictionary(f => (int)f.GetRawConstantValue()!, f => f.Name);

    private static readonly List<(int Id, string Method)> Events = typeof(LogEvents).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
        .Where(x => x.Attribute is not null)
        .Select(x => (x.Attribute!.EventId, $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}"))
        .ToList();

    [Fact]
    public void Every_event_takes_its_id_from_the_catalogue()
    {
        Assert.NotEmpty(Events);
        Assert.Empty(Events.Where(e => !Catalogue.ContainsKey(e.Id)).Select(e => $"{e.Method}: {e.Id}"));
    }

    [Fact]
    public void No_two_events_share_an_id()
    {
        var shared = Events.GroupBy(e => e.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} ({Catalogue.GetValueOrDefault(g.Key)}): {string.Join(", ", g.Select(e => e.Method))}");

        Assert.Empty(shared);
    }

    [Fact]
    public void No_catalogue_id_is_defined_twice_or_left_unused()
    {
        var names = typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
        var used = Events.Select(e => e.Id).ToHashSet();

        Assert.Equal(names.Count, Catalogue.Count);
        Assert.Empty(Catalogue.Where(c => !used.Contains(c.Key)).Select(c => $"{c.Value} = {c.Key}"));
    }
}

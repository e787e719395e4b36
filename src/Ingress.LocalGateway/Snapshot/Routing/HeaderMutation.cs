using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>
/// Compiled header operations of one level (route or destination), applied as Envoy does: removes first, then
/// <c>set</c> (overwrite or add) and <c>add</c> (append) in key order.
/// </summary>
public sealed class HeaderMutation
{
    /// <summary>No operation.</summary>
    public static HeaderMutation None { get; } = new() { Remove = [], Operations = [] };

    public required IReadOnlyList<string> Remove { get; init; }
    public required IReadOnlyList<HeaderOperation> Operations { get; init; }

    /// <summary>Whether there is nothing to do.</summary>
    public bool IsEmpty => Remove.Count == 0 && Operations.Count == 0;

    /// <summary>Applies the operations to a header dictionary.</summary>
    public void Apply(IHeaderDictionary headers)
    {
        for (var i = 0; i < Remove.Count; i++)
        {
            headers.Remove(Remove[i]);
        }

        for (var i = 0; i < Operations.Count; i++)
        {
            var op = Operations[i];
            if (op.Append && headers.TryGetValue(op.Name, out var existing))
            {
                headers[op.Name] = Microsoft.Extensions.Primitives.StringValues.Concat(existing, op.Value);
            }
            else
            {
                headers[op.Name] = op.Value;
            }
        }
    }

    /// <summary>Whether a header operation names the authority (<c>:authority</c> or <c>host</c>): it becomes a rewrite.</summary>
    public static bool IsAuthority(string name) =>
        name.Equals(":authority", StringComparison.OrdinalIgnoreCase) || name.Equals("host", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One header operation: overwrite-or-add, or append.</summary>
public readonly record struct HeaderOperation(string Name, string Value, bool Append);

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

    /// <summary>Builds a mutation from Istio's set/add/remove, leaving out authority keys (they become rewrites).</summary>
    public static HeaderMutation From(Ingress.Config.Model.HeaderOperations? operations)
    {
        if (operations is null)
        {
            return None;
        }

        var ops = new List<HeaderOperation>();
        foreach (var (name, value) in operations.Set.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IsAuthority(name))
            {
                ops.Add(new HeaderOperation(name.ToLowerInvariant(), value, Append: false));
            }
        }

        foreach (var (name, value) in operations.Add.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!IsAuthority(name))
            {
                ops.Add(new HeaderOperation(name.ToLowerInvariant(), value, Append: true));
            }
        }

        var remove = operations.Remove.Where(n => !IsAuthority(n)).Select(n => n.ToLowerInvariant()).ToArray();
        return remove.Length == 0 && ops.Count == 0 ? None : new HeaderMutation { Remove = remove, Operations = ops };
    }

    /// <summary>The authority a set (preferred) or add of <c>:authority</c>/<c>host</c> asks for, or null.</summary>
    public static string? AuthorityFrom(Ingress.Config.Model.HeaderOperations? operations)
    {
        if (operations is null)
        {
            return null;
        }

        foreach (var (name, value) in operations.Set)
        {
            if (IsAuthority(name))
            {
                return value;
            }
        }

        foreach (var (name, value) in operations.Add)
        {
            if (IsAuthority(name))
            {
                return value;
            }
        }

        return null;
    }

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

    private static bool IsAuthority(string name) =>
        name.Equals(":authority", StringComparison.OrdinalIgnoreCase) || name.Equals("host", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One header operation: overwrite-or-add, or append.</summary>
public readonly record struct HeaderOperation(string Name, string Value, bool Append);

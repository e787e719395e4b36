namespace Ingress.Config.Model;

/// <summary>
/// A field kept as written but not interpreted by the model: a scalar (string), a list (of values) or a map.
/// Used for fields the project reads through but never acts on; the gateway refuses them when set.
/// </summary>
public sealed record Opaque
{
    /// <summary>A string, an <see cref="IReadOnlyList{T}"/> of values, or an <see cref="IReadOnlyDictionary{TKey,TValue}"/>.</summary>
    public object? Value { get; init; }
}

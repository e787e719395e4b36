using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Ingress.Config.Loading;

/// <summary>A model record type the loader can build: how to make an empty one and its public instance properties.</summary>
internal sealed record RecordType(Func<object> Create, IReadOnlyList<PropertyInfo> Properties);

/// <summary>
/// The model's record types and the collection types their properties use, registered by code that
/// Ingress.Config.Generators writes at compile time (<c>ModelTypes.g.cs</c>): every class of <c>Ingress.Config.Model</c>
/// and every type its properties reach. Binding goes through these entries instead of reflecting over arbitrary types,
/// so the trimmer keeps exactly what the loader reads and Native AOT has every generic instantiation it needs.
/// </summary>
internal static partial class ModelTypes
{
    private static readonly Dictionary<Type, RecordType> Records = [];
    private static readonly Dictionary<Type, Func<ValueBinder>> Collections = [];

#pragma warning disable CA1810 // The registrations are statements the generator writes, not field initialisers.
    static ModelTypes() => RegisterGenerated();
#pragma warning restore CA1810

    /// <summary>The record type, or null when the type is not a model record.</summary>
    public static RecordType? Record(Type type) => Records.GetValueOrDefault(type);

    /// <summary>A new binder for a registered <c>IReadOnlyList&lt;T&gt;</c> or <c>IReadOnlyDictionary&lt;string, T&gt;</c>, or null.</summary>
    public static ValueBinder? Collection(Type type) => Collections.TryGetValue(type, out var create) ? create() : null;

    static partial void RegisterGenerated();

    private static void Record<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicProperties)] T>()
        where T : class, new() =>
        Records[typeof(T)] = new RecordType(static () => new T(), typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance));

    private static void List<T>() => Collections[typeof(IReadOnlyList<T>)] = static () => new ListBinder<T>();

    private static void Map<T>() => Collections[typeof(IReadOnlyDictionary<string, T>)] = static () => new MapBinder<T>();
}

using System.Collections.Concurrent;
using System.Reflection;
using Ingress.Config.Loading;
using Ingress.Config.Model;

namespace Ingress.Config.Schema;

/// <summary>The shape of a model value as YAML sees it.</summary>
public enum ValueKind
{
    String,
    Integer,
    Number,
    Boolean,
    Timestamp,
    Object,
    Opaque,
    List,
    Map,
}

/// <summary>
/// What a model type looks like in YAML: its kind, the CLR type, and for lists and maps the shape of the items.
/// </summary>
public sealed record ValueShape(ValueKind Kind, Type Type, ValueShape? Element)
{
    /// <summary>The shape of a property type (nullable wrappers removed).</summary>
    public static ValueShape Of(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return new(ValueKind.String, underlying, null);
        }

        if (underlying == typeof(int) || underlying == typeof(long))
        {
            return new(ValueKind.Integer, underlying, null);
        }

        if (underlying == typeof(double))
        {
            return new(ValueKind.Number, underlying, null);
        }

        if (underlying == typeof(bool))
        {
            return new(ValueKind.Boolean, underlying, null);
        }

        if (underlying == typeof(DateTimeOffset))
        {
            return new(ValueKind.Timestamp, underlying, null);
        }

        if (underlying == typeof(Opaque))
        {
            return new(ValueKind.Opaque, underlying, null);
        }

        if (underlying.IsGenericType)
        {
            var definition = underlying.GetGenericTypeDefinition();
            var arguments = underlying.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>))
            {
                return new(ValueKind.List, underlying, Of(arguments[0]));
            }

            if (definition == typeof(IReadOnlyDictionary<,>) && arguments[0] == typeof(string))
            {
                return new(ValueKind.Map, underlying, Of(arguments[1]));
            }
        }

        return new(ValueKind.Object, underlying, null);
    }
}

/// <summary>One YAML field of a model record: its key, the property behind it and its shape.</summary>
public sealed record ModelField(string Name, PropertyInfo Property, ValueShape Shape)
{
    /// <summary>The first attribute of a type on the property, or null.</summary>
    public T? Rule<T>() where T : Attribute => Property.GetCustomAttribute<T>();

    /// <summary>The value of the field in an instance of its record.</summary>
    public object? ValueIn(object record) => Property.GetValue(record);
}

/// <summary>
/// The YAML fields of the model records, read from the properties the loader binds (<see cref="ModelTypes"/>): the key is the
/// camelCase property name unless <see cref="YamlFieldAttribute"/> gives another.
/// </summary>
public static class ModelFields
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ModelField>> Cache = new();

    /// <summary>The fields of a record type, in declaration order.</summary>
    public static IReadOnlyList<ModelField> Of(Type type) => Cache.GetOrAdd(type, Build);

    /// <summary>The field with a YAML key, or null.</summary>
    public static ModelField? Find(Type type, string name) => Of(type).FirstOrDefault(f => f.Name == name);

    /// <summary>camelCase of a property name, as the loader turns property names into YAML keys.</summary>
    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static List<ModelField> Build(Type type)
    {
        var fields = new List<ModelField>();
        // The loader's own list of the record's properties (a model type the loader does not know has no fields).
        foreach (var property in ModelTypes.Record(type)?.Properties ?? [])
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0 ||
                (property.DeclaringType == typeof(Resource) &&
                 property.Name is nameof(Resource.Source) or nameof(Resource.FieldLocations)))
            {
                continue;
            }

            var name = property.GetCustomAttribute<YamlFieldAttribute>()?.Name ?? CamelCase(property.Name);
            fields.Add(new ModelField(name, property, ValueShape.Of(property.PropertyType)));
        }

        return fields;
    }
}

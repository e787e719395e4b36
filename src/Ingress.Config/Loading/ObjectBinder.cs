using System.Collections;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;
using Ingress.Config.Model;

namespace Ingress.Config.Loading;

/// <summary>
/// Binds YAML nodes to the immutable model records: YAML key = camelCase property name unless
/// <see cref="YamlFieldAttribute"/> says otherwise. The records and collections are the ones <see cref="ModelTypes"/>
/// lists (written at compile time by Ingress.Config.Generators); one binder per type is built once and cached, because
/// the gateway reloads configurations with thousands of routes.
/// </summary>
internal abstract class ValueBinder
{
    private static readonly ConcurrentDictionary<Type, ValueBinder> Cache = new();

    /// <summary>The value, or null when the node could not be bound (a finding was reported) or is null.</summary>
    public abstract object? Bind(Node node, string path, BindScope scope);

    public static ValueBinder For(Type type) => Cache.GetOrAdd(type, Create);

    private static ValueBinder Create(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return StringBinder.Text;
        }

        if (underlying == typeof(int) || underlying == typeof(long))
        {
            return new IntegerBinder(underlying);
        }

        if (underlying == typeof(double))
        {
            return new NumberBinder();
        }

        if (underlying == typeof(bool))
        {
            return new BooleanBinder();
        }

        if (underlying == typeof(DateTimeOffset))
        {
            return new TimestampBinder();
        }

        if (underlying == typeof(Opaque))
        {
            return new OpaqueBinder();
        }

        if (ModelTypes.Collection(underlying) is { } collection)
        {
            return collection;
        }

        if (ModelTypes.Record(underlying) is { } record)
        {
            return new RecordBinder(underlying, record);
        }

        throw new NotSupportedException($"The loader cannot bind model type {type}.");
    }

    /// <summary>How a node is described in a type error: <c>"abc"</c>, <c>80</c>, <c>a list</c>, <c>a mapping</c>.</summary>
    public static string Describe(Node node) => node.Kind switch
    {
        NodeKind.Mapping => "a mapping",
        NodeKind.Sequence => "a list",
        _ when node.Plain && Scalars.Infer(node.Value!) != ScalarType.String => node.Value!,
        _ => $"\"{node.Value}\"",
    };

    protected static object? TypeError(Node node, string path, BindScope scope, string expected, string? hint = null)
    {
        var message = $"{path}: expected {expected}, got {Describe(node)}";
        if (hint is not null)
        {
            message += $"; {hint}";
        }

        scope.Report(LoaderCodes.WrongType, path, node, message);
        return null;
    }
}

/// <summary>The type YAML (core schema) gives a plain scalar.</summary>
internal enum ScalarType
{
    String,
    Null,
    Boolean,
    Integer,
    Float,
}

/// <summary>YAML 1.2 core-schema inference for plain scalars, as Kubernetes reads them.</summary>
internal static class Scalars
{
    public static ScalarType Infer(string text)
    {
        if (text.Length == 0)
        {
            return ScalarType.Null;
        }

        switch (text)
        {
            case "~" or "null" or "Null" or "NULL":
                return ScalarType.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                return ScalarType.Boolean;
            case ".inf" or "-.inf" or "+.inf" or ".Inf" or ".INF" or ".nan" or ".NaN" or ".NAN":
                return ScalarType.Float;
        }

        var first = text[0];
        if (!char.IsAsciiDigit(first) && first is not ('-' or '+' or '.'))
        {
            return ScalarType.String;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ||
            (text.StartsWith("0x", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(char.IsAsciiHexDigit)))
        {
            return ScalarType.Integer;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && text.Any(char.IsAsciiDigit)
            ? ScalarType.Float
            : ScalarType.String;
    }
}

internal sealed class StringBinder(bool intOrString) : ValueBinder
{
    public static StringBinder Text { get; } = new(false);
    public static StringBinder IntOrString { get; } = new(true);

    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind != NodeKind.Scalar)
        {
            return TypeError(node, path, scope, intOrString ? "a number or a name" : "a string");
        }

        if (node.Plain)
        {
            var inferred = Scalars.Infer(node.Value!);
            if (inferred == ScalarType.Integer && intOrString)
            {
                return node.Value;
            }

            if (inferred is ScalarType.Boolean or ScalarType.Integer or ScalarType.Float)
            {
                return TypeError(node, path, scope, "a string",
                    $"quote it (\"{node.Value}\") if the text is meant, as Kubernetes rejects a bare {Name(inferred)} here");
            }
        }

        return node.Value;
    }

    private static string Name(ScalarType type) => type switch
    {
        ScalarType.Boolean => "boolean",
        ScalarType.Integer => "integer",
        _ => "number",
    };
}

internal sealed class IntegerBinder(Type type) : ValueBinder
{
    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind != NodeKind.Scalar || !node.Plain || Scalars.Infer(node.Value!) != ScalarType.Integer)
        {
            return TypeError(node, path, scope, "an integer",
                node.Kind == NodeKind.Scalar && !node.Plain && long.TryParse(node.Value, CultureInfo.InvariantCulture, out _)
                    ? "remove the quotes"
                    : null);
        }

        var text = node.Value!;
        var ok = text.StartsWith("0x", StringComparison.Ordinal)
            ? long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        if (type == typeof(int))
        {
            if (!ok || value is < int.MinValue or > int.MaxValue)
            {
                return TypeError(node, path, scope, "an integer", "it is out of range");
            }

            return (int)value;
        }

        return value;
    }
}

internal sealed class NumberBinder : ValueBinder
{
    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind == NodeKind.Scalar && node.Plain && Scalars.Infer(node.Value!) is ScalarType.Integer or ScalarType.Float &&
            double.TryParse(node.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return TypeError(node, path, scope, "a number");
    }
}

internal sealed class BooleanBinder : ValueBinder
{
    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind == NodeKind.Scalar && node.Plain && Scalars.Infer(node.Value!) == ScalarType.Boolean)
        {
            return node.Value![0] is 't' or 'T';
        }

        return TypeError(node, path, scope, "true or false");
    }
}

internal sealed class TimestampBinder : ValueBinder
{
    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind == NodeKind.Scalar && DateTimeOffset.TryParse(node.Value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        return TypeError(node, path, scope, "a timestamp (RFC 3339, e.g. 2026-01-31T12:00:00Z)");
    }
}

/// <summary>Keeps any value as written: a string, a read-only list or a read-only map.</summary>
internal sealed class OpaqueBinder : ValueBinder
{
    public override object? Bind(Node node, string path, BindScope scope) => new Opaque { Value = ToObject(node) };

    private static object? ToObject(Node node) => node.Kind switch
    {
        NodeKind.Scalar => node.IsNull ? null : node.Value,
        NodeKind.Sequence => node.Items!.Select(ToObject).ToList().AsReadOnly(),
        _ => new ReadOnlyDictionary<string, object?>(
            node.Entries!.GroupBy(e => e.Key.Value!).ToDictionary(g => g.Key, g => ToObject(g.Last().Value))),
    };
}

internal sealed class ListBinder<T> : ValueBinder
{
    private ValueBinder? _elementBinder;

    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind != NodeKind.Sequence)
        {
            return TypeError(node, path, scope, "a list", node.Kind == NodeKind.Scalar ? "write it as a list item (- value)" : null);
        }

        _elementBinder ??= For(typeof(T));
        var items = node.Items!;
        var values = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemPath = $"{path}[{i}]";
            scope.Locations[itemPath] = scope.At(item);
            if (item.IsNull)
            {
                continue;
            }

            if (_elementBinder.Bind(item, itemPath, scope) is T value)
            {
                values.Add(value);
            }
        }

        return values.AsReadOnly();
    }
}

internal sealed class MapBinder<T> : ValueBinder
{
    private ValueBinder? _valueBinder;

    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind != NodeKind.Mapping)
        {
            return TypeError(node, path, scope, "a mapping of names to values");
        }

        _valueBinder ??= For(typeof(T));
        var dictionary = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, valueNode) in node.Entries!)
        {
            var entryPath = $"{path}.{key.Value}";
            scope.Locations[entryPath] = scope.At(key);
            if (valueNode.IsNull)
            {
                // Kubernetes reads `key:` with no value in a string map as the empty string.
                if ("" is T empty)
                {
                    dictionary[key.Value!] = empty;
                }

                continue;
            }

            if (_valueBinder.Bind(valueNode, entryPath, scope) is T value)
            {
                dictionary[key.Value!] = value;
            }
        }

        return new ReadOnlyDictionary<string, T>(dictionary);
    }
}

/// <summary>Binds a mapping to a record's init properties; unknown keys are errors unless the type is open.</summary>
internal sealed class RecordBinder : ValueBinder
{
    private readonly Func<object> _create;
    private readonly Dictionary<string, Field> _fields = new(StringComparer.Ordinal);
    private readonly bool _open;
    private readonly bool _isResource;
    private readonly string _known;

    public RecordBinder(Type type, RecordType record)
    {
        _create = record.Create;
        _open = type.GetCustomAttribute<OpenFieldsAttribute>(inherit: false) is not null;
        _isResource = typeof(Resource).IsAssignableFrom(type);
        foreach (var property in record.Properties)
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0 ||
                (property.DeclaringType == typeof(Resource) &&
                 property.Name is nameof(Resource.Source) or nameof(Resource.FieldLocations)))
            {
                continue;
            }

            var name = property.GetCustomAttribute<YamlFieldAttribute>()?.Name ?? CamelCase(property.Name);
            _fields[name] = new Field(property)
            {
                Binder = property.GetCustomAttribute<IntOrStringAttribute>() is null ? null : StringBinder.IntOrString,
            };
        }

        _known = string.Join(", ", _fields.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>The YAML keys this type accepts.</summary>
    public IEnumerable<string> Keys => _fields.Keys;

    public override object? Bind(Node node, string path, BindScope scope)
    {
        if (node.Kind != NodeKind.Mapping)
        {
            return TypeError(node, path, scope, "a mapping (key: value lines)");
        }

        var instance = _create();
        foreach (var (key, valueNode) in node.Entries!)
        {
            var name = key.Value!;
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            scope.Locations[fieldPath] = scope.At(key);
            if (!_fields.TryGetValue(name, out var field))
            {
                // A resource's status is written by the cluster (kubectl get -o yaml); it is not configuration.
                if (!_open && !(_isResource && path.Length == 0 && name == "status"))
                {
                    scope.Report(LoaderCodes.UnknownField, fieldPath, key, UnknownFieldMessage(fieldPath, name));
                }

                continue;
            }

            if (valueNode.IsNull)
            {
                continue;
            }

            field.Binder ??= For(field.Property.PropertyType);
            var value = field.Binder.Bind(valueNode, fieldPath, scope);
            if (value is not null)
            {
                field.Property.SetValue(instance, value);
            }
        }

        return instance;
    }

    private string UnknownFieldMessage(string fieldPath, string name)
    {
        var suggestion = _fields.Keys
            .Select(k => (Key: k, Distance: Distance(k.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(2, name.Length / 3)))
            .OrderBy(c => c.Distance)
            .Select(c => c.Key)
            .FirstOrDefault();
        var hint = suggestion is null ? "" : $"; did you mean \"{suggestion}\"?";
        return $"{fieldPath}: unknown field \"{name}\"{hint} (known fields here: {_known})";
    }

    /// <summary>Edit distance counting a swap of two neighbours as one edit (tsl → tls).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    internal static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private sealed class Field(PropertyInfo property)
    {
        public PropertyInfo Property { get; } = property;
        public ValueBinder? Binder { get; set; }
    }
}

using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Schema;

/// <summary>
/// Applies the rules of the Istio, cert-manager and Gateway API CRDs (written on the model as <see cref="SchemaRuleAttribute"/>s,
/// <see cref="AtMostOneOfAttribute"/> and <see cref="CelAttribute"/>) to a loaded resource, and words each finding
/// as the Kubernetes API server does (<c>spec.servers[0].port.name: Required value</c>), so what `ingress validate`
/// rejects is what <c>kubectl apply</c> would reject. Fields kept as written (<see cref="Opaque"/>) are not looked into.
/// </summary>
public static class StructuralValidator
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Every finding for the resource's spec, in field order; empty when the API server would accept it.</summary>
    public static IReadOnlyList<Diagnostic> Validate(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var findings = new List<Diagnostic>();
        if (ModelFields.Find(resource.GetType(), "spec") is { } spec && spec.ValueIn(resource) is { } value &&
            spec.Shape.Kind == ValueKind.Object)
        {
            new Walk(resource, findings).Record(value, "spec");
        }

        return findings;
    }

    private sealed class Walk(Resource resource, List<Diagnostic> findings)
    {
        public void Record(object record, string path)
        {
            var type = record.GetType();
            var fields = ModelFields.Of(type);
            var Has = HasIn(record, path);

            if (type.GetCustomAttribute<AtMostOneOfAttribute>() is { } oneOf && oneOf.Fields.Count(Has) is var set and > 1)
            {
                Report(SchemaCodes.Structural, path,
                    $"\"{path}\" must validate one and only one schema (oneOf). Found {set} valid alternatives");
            }

            foreach (var cel in type.GetCustomAttributes<CelAttribute>())
            {
                Cel(cel, record, path, Has, "object");
            }

            foreach (var field in fields)
            {
                var value = field.ValueIn(record);
                var fieldPath = $"{path}.{field.Name}";
                if (!IsSet(value, fieldPath))
                {
                    if (field.Rule<RequiredAttribute>() is not null)
                    {
                        Report(SchemaCodes.Structural, fieldPath, $"{fieldPath}: Required value");
                    }

                    continue;
                }

                Value(field, field.Shape, value!, fieldPath, itemLevel: false);
            }
        }

        private void Value(ModelField field, ValueShape shape, object value, string path, bool itemLevel)
        {
            T? Rule<T>() where T : SchemaRuleAttribute =>
                field.Property.GetCustomAttributes<T>().FirstOrDefault(a => a.Each == itemLevel);

            switch (value)
            {
                case string text:
                    Text(text, path, Rule<OneOfAttribute>(), Rule<MinLengthAttribute>(), Rule<MaxLengthAttribute>(),
                        Rule<PatternAttribute>(), Rule<FormatAttribute>());
                    break;
                case int or long or double:
                    Number(Convert.ToDouble(value, CultureInfo.InvariantCulture), Show(value), path, Rule<RangeAttribute>(),
                        Rule<MinimumAttribute>(), Rule<OneOfAttribute>());
                    break;
            }

            if (shape.Kind == ValueKind.List && Rule<ListTypeAttribute>() is { } listType)
            {
                Duplicates((IEnumerable)value, path, listType);
            }

            if (shape.Kind == ValueKind.List)
            {
                var count = ((ICollection)value).Count;
                if (Rule<MinItemsAttribute>() is { } minItems && count < minItems.Count)
                {
                    Report(SchemaCodes.Structural, path,
                        $"{path}: Invalid value: {count}: {path} in body should have at least {minItems.Count} items");
                }

                if (Rule<MaxItemsAttribute>() is { } maxItems && count > maxItems.Count)
                {
                    Report(SchemaCodes.Structural, path, $"{path}: Too many: {count}: must have at most {maxItems.Count} items");
                }
            }

            if (shape.Kind == ValueKind.Map && Rule<MaxPropertiesAttribute>() is { } maxProperties &&
                ((ICollection)value).Count is var properties && properties > maxProperties.Count)
            {
                Report(SchemaCodes.Structural, path, $"{path}: Too many: {properties}: must have at most {maxProperties.Count} items");
            }

            foreach (var cel in field.Property.GetCustomAttributes<CelAttribute>().Where(a => a.Each == itemLevel))
            {
                Cel(cel, value, path, shape.Kind == ValueKind.Object ? HasIn(value, path) : _ => false, TypeName(shape));
            }

            switch (shape.Kind)
            {
                case ValueKind.Object:
                    Record(value, path);
                    break;
                case ValueKind.List:
                    var index = 0;
                    foreach (var item in (IEnumerable)value)
                    {
                        Value(field, shape.Element!, item, $"{path}[{index++}]", itemLevel: true);
                    }

                    break;
                case ValueKind.Map:
                    foreach (DictionaryEntry entry in ToDictionary(value))
                    {
                        if (entry.Value is not null)
                        {
                            Value(field, shape.Element!, entry.Value, $"{path}.{entry.Key}", itemLevel: true);
                        }
                    }

                    break;
            }
        }

        private void Text(string text, string path, OneOfAttribute? oneOf, MinLengthAttribute? minLength,
            MaxLengthAttribute? maxLength, PatternAttribute? pattern, FormatAttribute? format)
        {
            if (oneOf is not null && !oneOf.Values.Contains(text, StringComparer.Ordinal))
            {
                Report(SchemaCodes.Structural, path,
                    $"{path}: Unsupported value: {Quote(text)}: supported values: {string.Join(", ", oneOf.Values.Select(Quote))}");
            }

            // The API server counts characters (runes), not bytes or UTF-16 units.
            var length = text.EnumerateRunes().Count();
            if (minLength is not null && length < minLength.Length)
            {
                Report(SchemaCodes.Structural, path,
                    $"{path}: Invalid value: {Quote(text)}: {path} in body should be at least {minLength.Length} chars long");
            }

            if (maxLength is not null && length > maxLength.Length)
            {
                Report(SchemaCodes.Structural, path, $"{path}: Too long: may not be longer than {maxLength.Length}");
            }

            if (pattern is not null && !Regex.IsMatch(text, pattern.Pattern, RegexOptions.CultureInvariant, RegexTimeout))
            {
                Report(SchemaCodes.Structural, path,
                    $"{path}: Invalid value: {Quote(text)}: {path} in body should match '{pattern.Pattern}'");
            }

            if (format is { Format: "byte" } && !IsBase64(text))
            {
                Report(SchemaCodes.Structural, path,
                    $"{path}: Invalid value: {Quote(text)}: {path} in body must be of type byte: {Quote(text)}");
            }
        }

        private void Number(double number, string shown, string path, RangeAttribute? range, MinimumAttribute? minimum,
            OneOfAttribute? oneOf)
        {
            if (oneOf is not null && !oneOf.Values.Contains(shown, StringComparer.Ordinal))
            {
                Report(SchemaCodes.Structural, path,
                    $"{path}: Unsupported value: {shown}: supported values: {string.Join(", ", oneOf.Values.Select(Quote))}");
            }

            var min = range?.Minimum ?? minimum?.Minimum;
            if (min is not null && number < min.Value)
            {
                Report(SchemaCodes.Structural, path,
                    $"{path}: Invalid value: {shown}: {path} in body should be greater than or equal to {min.Value.ToString(CultureInfo.InvariantCulture)}");
            }

            if (range is not null && number > range.Maximum)
            {
                Report(SchemaCodes.Structural, path,
                    $"{path}: Invalid value: {shown}: {path} in body should be less than or equal to {range.Maximum.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        /// <summary>
        /// <c>x-kubernetes-list-type</c>: the API server refuses a second equal item of a set, or a second item with the
        /// same keys in a map list, at the later item.
        /// </summary>
        private void Duplicates(IEnumerable items, string path, ListTypeAttribute listType)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var item in items)
            {
                var itemPath = $"{path}[{index++}]";
                var shown = listType.Type == "map"
                    ? "map[string]interface {}{" + string.Join(", ", listType.Keys.Select(k =>
                        $"{Quote(k)}:{KeyValue(ModelFields.Find(item.GetType(), k)?.ValueIn(item))}")) + "}"
                    : item is string text ? Quote(text) : Convert.ToString(item, CultureInfo.InvariantCulture)!;
                if (!seen.Add(shown))
                {
                    Report(SchemaCodes.Structural, itemPath, $"{itemPath}: Duplicate value: {shown}");
                }
            }
        }

        private static string KeyValue(object? value) => value switch
        {
            null => "<nil>",
            string text => Quote(text),
            _ => Show(value),
        };

        private void Cel(CelAttribute attribute, object self, string path, Func<string, bool> has, string typeName)
        {
            var rule = CelRules.All[attribute.Name];
            if (rule.NotEvaluated is null && !rule.Holds(new CelInput(self, has)))
            {
                Report(SchemaCodes.CelRule, path, $"{path}: Invalid value: \"{typeName}\": {rule.Message}");
            }
        }

        /// <summary><c>has(self.name)</c> for a record at a path.</summary>
        private Func<string, bool> HasIn(object record, string path) => name =>
            ModelFields.Find(record.GetType(), name) is { } field && IsSet(field.ValueIn(record), $"{path}.{name}");

        private bool IsSet(object? value, string path) => value switch
        {
            null => false,
            // An empty list or map is "set" only when it was written; the model defaults them to empty.
            ICollection { Count: 0 } => resource.FieldLocations.ContainsKey(path),
            _ => true,
        };

        private void Report(string code, string path, string message) => findings.Add(new Diagnostic
        {
            Code = code,
            Severity = Severity.Error,
            Message = message,
            Resource = resource.DisplayName,
            FieldPath = path,
            Location = resource.LocationOf(path),
        });

        // Every map of the model is a dictionary: the loader builds ReadOnlyDictionary, the defaults are empty ones.
        private static IDictionary ToDictionary(object map) => map as IDictionary ??
            throw new InvalidOperationException($"a model map is not a dictionary: {map.GetType()}");

        private static string TypeName(ValueShape shape) => shape.Kind switch
        {
            ValueKind.String => "string",
            ValueKind.Integer => "integer",
            ValueKind.Number => "number",
            ValueKind.Boolean => "boolean",
            ValueKind.List => "array",
            _ => "object",
        };
    }

    /// <summary>A number as Go's <c>%v</c> prints it in the API server's messages.</summary>
    private static string Show(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    /// <summary>Base64 with padding, as Go's <c>base64.StdEncoding</c> (format <c>byte</c>) accepts it.</summary>
    private static bool IsBase64(string text) =>
        text.Length % 4 == 0 && !text.Any(char.IsWhiteSpace) && Convert.TryFromBase64String(text, new byte[text.Length], out _);

    /// <summary>A string quoted as Go's <c>%q</c> does.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < 0x20 or 0x7f: builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}"); break;
                default: builder.Append(rune.ToString()); break;
            }
        }

        return builder.Append('"').ToString();
    }
}

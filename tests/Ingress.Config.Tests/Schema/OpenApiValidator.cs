using System.Globalization;
using System.Text.RegularExpressions;
using Ingress.Config.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ingress.Config.Tests.Schema;

/// <summary>
/// A small OpenAPI v3 structural-schema validator, independent of the model, that checks a manifest against the CRD
/// itself the way the API server does (types, enum, required, pattern, minimum/maximum, min/maxLength,
/// min/maxItems, maxProperties, format byte, oneOf, unknown fields unless preserved) and words findings the same way.
/// CEL rules are not evaluated here (no CEL engine); StructuralValidator's own tests cover them.
/// </summary>
public static class OpenApiValidator
{
    /// <summary>The findings for one document against the schema of its whole object (spec and root required).</summary>
    public static List<string> Validate(YamlMappingNode document, SchemaNode root)
    {
        var errors = new List<string>();
        foreach (var required in root.Required.Where(r => !document.Children.ContainsKey(new YamlScalarNode(r))))
        {
            errors.Add($"{required}: Required value");
        }

        if (document.Children.TryGetValue(new YamlScalarNode("spec"), out var spec) && root.Properties.TryGetValue("spec", out var specSchema))
        {
            Node(spec, specSchema, "spec", errors);
        }

        return errors;
    }

    private static void Node(YamlNode node, SchemaNode schema, string path, List<string> errors)
    {
        var actual = TypeOf(node);
        if (!TypeMatches(actual, schema))
        {
            if (!(actual == "null" && schema.Nullable))
            {
                errors.Add($"{path}: Invalid value: \"{actual}\": {path} in body must be of type {(schema.IntOrString ? "integer,string" : schema.Type)}: \"{actual}\"");
            }

            return;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                Scalar(scalar, actual, schema, path, errors);
                break;
            case YamlSequenceNode sequence:
                if (schema.MinItems is { } minItems && sequence.Children.Count < minItems)
                {
                    errors.Add($"{path}: Invalid value: {sequence.Children.Count}: {path} in body should have at least {minItems} items");
                }

                if (schema.MaxItems is { } maxItems && sequence.Children.Count > maxItems)
                {
                    errors.Add($"{path}: Too many: {sequence.Children.Count}: must have at most {maxItems} items");
                }

                if (schema.Items is not null)
                {
                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        Node(sequence.Children[i], schema.Items, $"{path}[{i}]", errors);
                    }
                }

                if (schema.ListType is not null)
                {
                    Duplicates(sequence, schema, path, errors);
                }

                break;
            case YamlMappingNode mapping:
                Mapping(mapping, schema, path, errors);
                break;
        }
    }

    private static void Mapping(YamlMappingNode mapping, SchemaNode schema, string path, List<string> errors)
    {
        var keys = mapping.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet(StringComparer.Ordinal);
        foreach (var required in schema.Required.Where(r => !keys.Contains(r)))
        {
            errors.Add($"{path}.{required}: Required value");
        }

        if (schema.MaxProperties is { } maxProperties && keys.Count > maxProperties)
        {
            errors.Add($"{path}: Too many: {keys.Count}: must have at most {maxProperties} items");
        }

        if (schema.OneOf.Count > 0)
        {
            var named = schema.OneOf.Where(a => a.Count > 0).ToList();
            var valid = named.Count(a => a.All(keys.Contains)) + (named.Any(a => a.All(keys.Contains)) ? 0 : schema.OneOf.Count(a => a.Count == 0));
            if (valid != 1)
            {
                errors.Add($"<nil>: Invalid value: \"\": \"{path}\" must validate one and only one schema (oneOf). " +
                           (valid == 0 ? "Found none valid" : $"Found {valid} valid alternatives"));
            }
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            var childPath = $"{path}.{key}";
            if (schema.Properties.TryGetValue(key, out var property))
            {
                Node(value, property, childPath, errors);
            }
            else if (schema.AdditionalProperties is not null)
            {
                Node(value, schema.AdditionalProperties, childPath, errors);
            }
            else if (!schema.PreserveUnknownFields)
            {
                errors.Add($"unknown field \"{childPath}\"");
            }
        }
    }

    /// <summary>The API server's <c>x-kubernetes-list-type</c> check: a repeated set item or map-list key.</summary>
    private static void Duplicates(YamlSequenceNode sequence, SchemaNode schema, string path, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            string shown;
            if (schema.ListType == "map" && item is YamlMappingNode entry)
            {
                shown = "map[string]interface {}{" + string.Join(", ", schema.ListMapKeys.Select(key =>
                    entry.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar
                        ? $"\"{key}\":{(TypeOf(scalar) == "string" ? StructuralValidator.Quote(scalar.Value ?? "") : scalar.Value)}"
                        : $"\"{key}\":<nil>")) + "}";
            }
            else if (item is YamlScalarNode scalar)
            {
                shown = TypeOf(scalar) == "string" ? StructuralValidator.Quote(scalar.Value ?? "") : scalar.Value ?? "";
            }
            else
            {
                continue;
            }

            if (!seen.Add(shown))
            {
                errors.Add($"{path}[{i}]: Duplicate value: {shown}");
            }
        }
    }

    private static void Scalar(YamlScalarNode scalar, string actual, SchemaNode schema, string path, List<string> errors)
    {
        var text = scalar.Value ?? "";
        if (actual is "integer" or "number")
        {
            if (schema.Enum is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
            {
                errors.Add($"{path}: Unsupported value: {text}: supported values: {string.Join(", ", allowed.Select(StructuralValidator.Quote))}");
            }

            var number = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (schema.Minimum is { } min && number < min)
            {
                errors.Add($"{path}: Invalid value: {text}: {path} in body should be greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}");
            }

            if (schema.Maximum is { } max && number > max)
            {
                errors.Add($"{path}: Invalid value: {text}: {path} in body should be less than or equal to {max.ToString(CultureInfo.InvariantCulture)}");
            }

            return;
        }

        if (actual != "string")
        {
            return;
        }

        if (schema.Enum is { } values && !values.Contains(text, StringComparer.Ordinal))
        {
            errors.Add($"{path}: Unsupported value: {StructuralValidator.Quote(text)}: supported values: {string.Join(", ", values.Select(StructuralValidator.Quote))}");
        }

        var length = text.EnumerateRunes().Count();
        if (schema.MinLength is { } minLength && length < minLength)
        {
            errors.Add($"{path}: Invalid value: {StructuralValidator.Quote(text)}: {path} in body should be at least {minLength} chars long");
        }

        if (schema.MaxLength is { } maxLength && length > maxLength)
        {
            errors.Add($"{path}: Too long: may not be longer than {maxLength}");
        }

        if (schema.Pattern is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{path}: Invalid value: {StructuralValidator.Quote(text)}: {path} in body should match '{pattern}'");
        }

        if (schema.Format == "byte" && (text.Length % 4 != 0 || !Convert.TryFromBase64String(text, new byte[text.Length], out _)))
        {
            errors.Add($"{path}: Invalid value: {StructuralValidator.Quote(text)}: {path} in body must be of type byte: {StructuralValidator.Quote(text)}");
        }
    }

    private static bool TypeMatches(string actual, SchemaNode schema) =>
        schema.IntOrString ? actual is "integer" or "string"
        : schema.Type switch
        {
            null => true,
            "number" => actual is "number" or "integer",
            _ => actual == schema.Type,
        };

    /// <summary>The JSON type YAML (1.2 core schema, as Kubernetes reads it) gives a node.</summary>
    public static string TypeOf(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode:
                return "object";
            case YamlSequenceNode:
                return "array";
            case YamlScalarNode scalar when scalar.Style != ScalarStyle.Plain:
                return "string";
            case YamlScalarNode scalar:
                var text = scalar.Value ?? "";
                if (text is "" or "~" or "null" or "Null" or "NULL")
                {
                    return "null";
                }

                if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
                {
                    return "boolean";
                }

                if (Regex.IsMatch(text, "^[-+]?[0-9]+$", RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    return "integer";
                }

                return Regex.IsMatch(text, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.None, TimeSpan.FromSeconds(1))
                    ? "number"
                    : "string";
            default:
                return "string";
        }
    }
}

/// <summary>Reads YAML documents and checks those of a kind with a CRD in ../shared/schemas against it.</summary>
public static class ManifestCheck
{
    /// <summary>Every finding of every document, as <c>source: Kind name: message</c>; kinds without a CRD are skipped.</summary>
    public static List<string> Run(string yaml, string source, out int checkedDocuments)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var errors = new List<string>();
        checkedDocuments = 0;
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root ||
                !root.Children.TryGetValue(new YamlScalarNode("apiVersion"), out var apiVersion) ||
                !root.Children.TryGetValue(new YamlScalarNode("kind"), out var kindNode))
            {
                continue;
            }

            var kind = ((YamlScalarNode)kindNode).Value!;
            var api = ((YamlScalarNode)apiVersion).Value!;
            var slash = api.LastIndexOf('/');
            var (group, version) = slash < 0 ? ("", api) : (api[..slash], api[(slash + 1)..]);
            var name = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) &&
                       ((YamlMappingNode)metadata).Children.TryGetValue(new YamlScalarNode("name"), out var nameNode)
                ? ((YamlScalarNode)nameNode).Value
                : "?";
            if (!Crds.All.Any(c => c.Group == group && c.Kind == kind))
            {
                continue;
            }

            checkedDocuments++;
            if (Crds.Find(group, version, kind) is not { } crd)
            {
                errors.Add($"{source}: {kind} {name}: no such version: the API server serves {kind} in {string.Join(", ", Crds.All.Where(c => c.Group == group && c.Kind == kind).Select(c => c.Version))}, not {version}");
                continue;
            }

            errors.AddRange(OpenApiValidator.Validate(root, crd.Schema).Select(e => $"{source}: {kind} {name}: {e}"));
        }

        return errors;
    }
}

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>
/// The upstream CustomResourceDefinitions in ../shared/schemas, and a structural check of an object against them:
/// unknown fields, enum values, required fields and scalar types, as the API server would reject them.
/// </summary>
internal sealed class CrdSchemas
{
    private static readonly Lazy<CrdSchemas> Shared = new(() => Load(Path.Combine(RepositoryPaths.SharedFolder!, "schemas")));

    private readonly Dictionary<string, YamlMappingNode> schemas;

    private CrdSchemas(Dictionary<string, YamlMappingNode> schemas) => this.schemas = schemas;

    public static CrdSchemas Upstream => Shared.Value;

    /// <summary>True when a CRD for the object's group, version and kind is known.</summary>
    public bool Knows(KubeObject o) => schemas.ContainsKey(Key(o.ApiVersion, o.Kind));

    /// <summary>Every structural problem of the object's spec, as "Kind ns/name: path: message".</summary>
    public IReadOnlyList<string> Check(KubeObject o)
    {
        var problems = new List<string>();
        var root = schemas[Key(o.ApiVersion, o.Kind)];
        if (Yaml.Walk(root, "properties.spec") is YamlMappingNode specSchema && o.Node("spec") is { } spec)
        {
            Walk(spec, specSchema, "spec", problems);
        }

        return problems.Select(p => $"{o.Id}: {p}").ToList();
    }

    private static void Walk(YamlNode node, YamlMappingNode schema, string path, List<string> problems)
    {
        if (schema.Scalar("x-kubernetes-preserve-unknown-fields") == "true")
        {
            return;
        }

        switch (node)
        {
            case YamlMappingNode map:
                WalkMapping(map, schema, path, problems);
                break;
            case YamlSequenceNode sequence:
                if (schema.Scalar("type") is { } seqType && seqType != "array")
                {
                    problems.Add($"{path}: a list where the schema expects {seqType}");
                }
                else if (Yaml.Walk(schema, "items") is YamlMappingNode items)
                {
                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        Walk(sequence.Children[i], items, $"{path}[{i}]", problems);
                    }
                }

                break;
            case YamlScalarNode scalar:
                CheckScalar(scalar, schema, path, problems);
                break;
        }
    }

    private static void WalkMapping(YamlMappingNode map, YamlMappingNode schema, string path, List<string> problems)
    {
        if (schema.Scalar("type") is { } type && type != "object")
        {
            problems.Add($"{path}: a mapping where the schema expects {type}");
            return;
        }

        var properties = Yaml.Walk(schema, "properties") as YamlMappingNode;
        var additional = Yaml.Walk(schema, "additionalProperties") as YamlMappingNode;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (properties is not null && properties.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                Walk(value, (YamlMappingNode)child, $"{path}.{key}", problems);
            }
            else if (additional is not null)
            {
                Walk(value, additional, $"{path}.{key}", problems);
            }
            else if (properties is not null)
            {
                problems.Add($"{path}.{key}: unknown field (the schema has {string.Join(", ", properties.Children.Keys.Select(k => ((YamlScalarNode)k).Value))})");
            }
        }

        foreach (var required in schema.Sequence("required").OfType<YamlScalarNode>())
        {
            if (!map.Children.ContainsKey(new YamlScalarNode(required.Value!)))
            {
                problems.Add($"{path}.{required.Value}: required field missing");
            }
        }
    }

    private static void CheckScalar(YamlScalarNode scalar, YamlMappingNode schema, string path, List<string> problems)
    {
        var value = scalar.Value ?? string.Empty;
        var enumValues = schema.Sequence("enum").OfType<YamlScalarNode>().Select(v => v.Value).ToList();
        if (enumValues.Count > 0 && !enumValues.Contains(value))
        {
            problems.Add($"{path}: \"{value}\" is not one of {string.Join(", ", enumValues)}");
        }

        var intOrString = schema.Scalar("x-kubernetes-int-or-string") == "true";
        var ok = schema.Scalar("type") switch
        {
            "boolean" => value is "true" or "false",
            "integer" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "number" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            "object" or "array" => false,
            _ => true,
        };
        if (!ok && !intOrString)
        {
            problems.Add($"{path}: \"{value}\" is not a valid {schema.Scalar("type")}");
        }
    }

    private static CrdSchemas Load(string folder)
    {
        var schemas = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            foreach (var crd in stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>())
            {
                if (crd.Scalar("kind") != "CustomResourceDefinition")
                {
                    continue;
                }

                var group = crd.Scalar("spec.group");
                var kind = crd.Scalar("spec.names.kind");
                foreach (var version in crd.Sequence("spec.versions"))
                {
                    if (version.Scalar("served") == "true" && Yaml.Walk(version, "schema.openAPIV3Schema") is YamlMappingNode schema)
                    {
                        schemas[Key($"{group}/{version.Scalar("name")}", kind!)] = schema;
                    }
                }
            }
        }

        return new CrdSchemas(schemas);
    }

    private static string Key(string apiVersion, string kind) => $"{apiVersion}|{kind}";
}

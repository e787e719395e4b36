using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Ingress.Config.Tests.Schema;

/// <summary>One <c>x-kubernetes-validations</c> entry.</summary>
public sealed record CelValidation(string Rule, string Message);

/// <summary>A node of a CRD's OpenAPI v3 structural schema, with the keywords the API server enforces.</summary>
public sealed class SchemaNode
{
    public string? Type { get; init; }
    public IReadOnlyDictionary<string, SchemaNode> Properties { get; init; } = new Dictionary<string, SchemaNode>();
    public SchemaNode? Items { get; init; }
    public SchemaNode? AdditionalProperties { get; init; }
    public IReadOnlyList<string>? Enum { get; init; }
    public IReadOnlyList<string> Required { get; init; } = [];
    public decimal? Minimum { get; init; }
    public decimal? Maximum { get; init; }
    public long? MinLength { get; init; }
    public long? MaxLength { get; init; }
    public long? MinItems { get; init; }
    public long? MaxItems { get; init; }
    public long? MaxProperties { get; init; }
    public string? Pattern { get; init; }
    public string? Format { get; init; }
    public bool PreserveUnknownFields { get; init; }
    public bool IntOrString { get; init; }
    public bool Nullable { get; init; }

    /// <summary><c>x-kubernetes-list-type</c> when it is <c>set</c> or <c>map</c>; null for <c>atomic</c> or none.</summary>
    public string? ListType { get; init; }

    /// <summary><c>x-kubernetes-list-map-keys</c> of a <c>map</c> list.</summary>
    public IReadOnlyList<string> ListMapKeys { get; init; } = [];

    /// <summary>
    /// The schema's <c>default</c> as plain values (a string for a scalar, a list, or a string-keyed dictionary), or
    /// null when there is none.
    /// </summary>
    public object? Default { get; init; }

    /// <summary>The <c>oneOf</c> alternatives, each as the field names it requires (empty for the "none" branch).</summary>
    public IReadOnlyList<IReadOnlyList<string>> OneOf { get; init; } = [];

    public IReadOnlyList<CelValidation> Validations { get; init; } = [];

    /// <summary>A YAML node as plain values: a string, a list of values, or a dictionary keyed by string.</summary>
    private static object Plain(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? "",
        YamlSequenceNode sequence => sequence.Children.Select(Plain).ToList(),
        _ => ((YamlMappingNode)node).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => Plain(e.Value), StringComparer.Ordinal),
    };

    public static SchemaNode Parse(YamlMappingNode node)
    {
        string? Text(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;
        decimal? Number(string key) => Text(key) is { } t ? decimal.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
        long? Integer(string key) => Text(key) is { } t ? long.Parse(t, CultureInfo.InvariantCulture) : null;
        YamlNode? Child(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        var properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        if (Child("properties") is YamlMappingNode props)
        {
            foreach (var (key, value) in props.Children)
            {
                properties[((YamlScalarNode)key).Value!] = Parse((YamlMappingNode)value);
            }
        }

        var oneOf = new List<IReadOnlyList<string>>();
        // Only the form Istio generates (each alternative names required fields) is understood; a oneOf over
        // property schemas (the Gateway API's address type/value) is not checked here.
        if (Child("oneOf") is YamlSequenceNode alternatives &&
            alternatives.Children.Cast<YamlMappingNode>().All(a => !a.Children.ContainsKey(new YamlScalarNode("properties"))))
        {
            foreach (var alternative in alternatives.Children.Cast<YamlMappingNode>())
            {
                oneOf.Add(alternative.Children.TryGetValue(new YamlScalarNode("required"), out var req)
                    ? ((YamlSequenceNode)req).Children.Select(r => ((YamlScalarNode)r).Value!).ToList()
                    : []);
            }
        }

        return new SchemaNode
        {
            Type = Text("type"),
            Properties = properties,
            Items = Child("items") is YamlMappingNode items ? Parse(items) : null,
            AdditionalProperties = Child("additionalProperties") is YamlMappingNode additional ? Parse(additional) : null,
            Enum = Child("enum") is YamlSequenceNode values ? values.Children.Select(v => ((YamlScalarNode)v).Value!).ToList() : null,
            Required = Child("required") is YamlSequenceNode required
                ? required.Children.Select(v => ((YamlScalarNode)v).Value!).ToList()
                : [],
            Minimum = Number("minimum"),
            Maximum = Number("maximum"),
            MinLength = Integer("minLength"),
            MaxLength = Integer("maxLength"),
            MinItems = Integer("minItems"),
            MaxItems = Integer("maxItems"),
            MaxProperties = Integer("maxProperties"),
            Pattern = Text("pattern"),
            Format = Text("format"),
            PreserveUnknownFields = Text("x-kubernetes-preserve-unknown-fields") == "true",
            IntOrString = Text("x-kubernetes-int-or-string") == "true",
            Nullable = Text("nullable") == "true",
            ListType = Text("x-kubernetes-list-type") is "set" or "map" ? Text("x-kubernetes-list-type") : null,
            ListMapKeys = Child("x-kubernetes-list-map-keys") is YamlSequenceNode keys
                ? keys.Children.Select(k => ((YamlScalarNode)k).Value!).ToList()
                : [],
            Default = Child("default") is { } defaultNode ? Plain(defaultNode) : null,
            OneOf = oneOf,
            Validations = Child("x-kubernetes-validations") is YamlSequenceNode rules
                ? rules.Children.Cast<YamlMappingNode>().Select(r => new CelValidation(
                    ((YamlScalarNode)r.Children[new YamlScalarNode("rule")]).Value!,
                    r.Children.TryGetValue(new YamlScalarNode("message"), out var m) ? ((YamlScalarNode)m).Value! : "")).ToList()
                : [],
        };
    }
}

/// <summary>One served version of a CRD: its kind, group, version and the schema of the whole object.</summary>
public sealed record CrdVersion(string Group, string Kind, string Version, SchemaNode Schema);

/// <summary>The upstream CRDs in <c>../shared/schemas</c>, read once.</summary>
public static class Crds
{
    private static readonly Lazy<IReadOnlyList<CrdVersion>> Loaded = new(Load);

    /// <summary>Every served version of every CRD in the folder.</summary>
    public static IReadOnlyList<CrdVersion> All => Loaded.Value;

    /// <summary>The schema of a group/version/kind, or null when no CRD serves it.</summary>
    public static CrdVersion? Find(string group, string version, string kind) =>
        All.FirstOrDefault(c => c.Group == group && c.Version == version && c.Kind == kind);

    private static List<CrdVersion> Load()
    {
        var folder = SharedFolder.Schemas ?? throw new InvalidOperationException(SharedFolder.SkipReason);
        var result = new List<CrdVersion>();
        // The Gateway API CRDs are in a folder of their own (gateway-api/).
        foreach (var file in Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            foreach (var document in stream.Documents)
            {
                if (document.RootNode is not YamlMappingNode root ||
                    !root.Children.TryGetValue(new YamlScalarNode("kind"), out var kind) ||
                    ((YamlScalarNode)kind).Value != "CustomResourceDefinition")
                {
                    continue;
                }

                var spec = (YamlMappingNode)root.Children[new YamlScalarNode("spec")];
                var group = ((YamlScalarNode)spec.Children[new YamlScalarNode("group")]).Value!;
                var names = (YamlMappingNode)spec.Children[new YamlScalarNode("names")];
                var kindName = ((YamlScalarNode)names.Children[new YamlScalarNode("kind")]).Value!;
                foreach (var version in ((YamlSequenceNode)spec.Children[new YamlScalarNode("versions")]).Children.Cast<YamlMappingNode>())
                {
                    if (((YamlScalarNode)version.Children[new YamlScalarNode("served")]).Value != "true")
                    {
                        continue;
                    }

                    var schema = (YamlMappingNode)((YamlMappingNode)version.Children[new YamlScalarNode("schema")])
                        .Children[new YamlScalarNode("openAPIV3Schema")];
                    result.Add(new CrdVersion(group, kindName, ((YamlScalarNode)version.Children[new YamlScalarNode("name")]).Value!,
                        SchemaNode.Parse(schema)));
                }
            }
        }

        return result;
    }
}

using YamlDotNet.RepresentationModel;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>One Kubernetes object from a rendered overlay, with path-based access to its fields.</summary>
internal sealed record KubeObject(string ApiVersion, string Kind, string? Namespace, string Name, YamlMappingNode Root)
{
    /// <summary>The API group ("" for the core group).</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary>Kind ns/name, as istioctl prints a resource.</summary>
    public string Id => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    /// <summary>The node at a dotted path; numeric segments index sequences. Null when any step is missing.</summary>
    public YamlNode? Node(string path) => Yaml.Walk(Root, path);

    /// <summary>The scalar at a dotted path, or null.</summary>
    public string? Scalar(string path) => (Node(path) as YamlScalarNode)?.Value;

    /// <summary>The sequence at a dotted path, or an empty list.</summary>
    public IReadOnlyList<YamlNode> Sequence(string path) =>
        Node(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];
}

/// <summary>Parses multi-document YAML as kubectl prints it.</summary>
internal static class Manifest
{
    public static IReadOnlyList<KubeObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = new List<KubeObject>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                continue;
            }

            objects.Add(new KubeObject(
                Yaml.Walk(root, "apiVersion") is YamlScalarNode api ? api.Value ?? string.Empty : string.Empty,
                Yaml.Walk(root, "kind") is YamlScalarNode kind ? kind.Value ?? string.Empty : string.Empty,
                (Yaml.Walk(root, "metadata.namespace") as YamlScalarNode)?.Value,
                (Yaml.Walk(root, "metadata.name") as YamlScalarNode)?.Value ?? string.Empty,
                root));
        }

        return objects;
    }

    /// <summary>Renders an overlay (by folder name under deploy/overlays) and parses it; fails the test when it does not render.</summary>
    public static IReadOnlyList<KubeObject> RenderOverlay(string overlay)
    {
        var result = Kubectl.Kustomize(Path.Combine(RepositoryPaths.Overlays, overlay));
        Assert.True(result.ExitCode == 0, $"kubectl kustomize deploy/overlays/{overlay} exited {result.ExitCode}: {result.Error}");
        return Parse(result.Output);
    }

    /// <summary>The single object of that kind, namespace and name; fails the test naming what is missing.</summary>
    public static KubeObject Single(this IReadOnlyList<KubeObject> objects, string kind, string? ns, string name)
    {
        var matches = objects.Where(o => o.Kind == kind && o.Namespace == ns && o.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected exactly one {kind} {ns}/{name}, found {matches.Count}");
        return matches[0];
    }
}

/// <summary>Small helpers over YamlDotNet's node model.</summary>
internal static class Yaml
{
    public static YamlNode? Walk(YamlNode node, string path)
    {
        var current = node;
        foreach (var segment in path.Split('.'))
        {
            current = current switch
            {
                YamlMappingNode map => map.Children.TryGetValue(new YamlScalarNode(segment), out var child) ? child : null,
                YamlSequenceNode seq when int.TryParse(segment, out var index) && index < seq.Children.Count => seq.Children[index],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public static YamlNode? Node(this YamlNode node, string path) => Walk(node, path);

    public static string? Scalar(this YamlNode node, string path) => (Walk(node, path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Sequence(this YamlNode node, string path) =>
        Walk(node, path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode node, string path) =>
        Walk(node, path) is YamlMappingNode map
            ? map.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? string.Empty, kv => (kv.Value as YamlScalarNode)?.Value ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}

using Ingress.Config.Diagnostics;

namespace Ingress.Config.Model;

/// <summary>Maps a YAML key to a model property whose name does not follow the camelCase convention.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class YamlFieldAttribute(string name) : Attribute
{
    /// <summary>The key as written in YAML.</summary>
    public string Name { get; } = name;
}

/// <summary>Marks a string property that Kubernetes also accepts as a bare integer (IntOrString, e.g. targetPort).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IntOrStringAttribute : Attribute;

/// <summary>
/// Marks a model type whose YAML may carry fields the model does not describe (Kubernetes kinds of which only the
/// parts that matter are modelled). Unknown fields of other types are errors.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OpenFieldsAttribute : Attribute;

/// <summary>Kubernetes object metadata: the parts this project reads.</summary>
[OpenFields]
public sealed record ObjectMeta
{
    public string Name { get; init; } = "";

    /// <summary>The namespace written in the file, or the loader's default namespace when none was written.</summary>
    public string Namespace { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = Empty.Map<string>();
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = Empty.Map<string>();
    public DateTimeOffset? CreationTimestamp { get; init; }
}

/// <summary>A Kubernetes object read from YAML, with where it came from and where each of its fields is.</summary>
public abstract record Resource
{
    public string ApiVersion { get; init; } = "";
    public string Kind { get; init; } = "";
    public ObjectMeta Metadata { get; init; } = new();

    /// <summary>The file and line of the document's first key.</summary>
    public SourceLocation Source { get; init; } = SourceLocation.None;

    /// <summary>Field path (<c>spec.http[0].route[1].destination.host</c>) to the location of its key.</summary>
    public IReadOnlyDictionary<string, SourceLocation> FieldLocations { get; init; } = Empty.Map<SourceLocation>();

    /// <summary><c>Kind namespace/name</c>, as istioctl prints a resource.</summary>
    public string DisplayName => string.IsNullOrEmpty(Metadata.Namespace)
        ? $"{Kind} {Metadata.Name}"
        : $"{Kind} {Metadata.Namespace}/{Metadata.Name}";

    /// <summary>
    /// The location of a field path, or of its nearest ancestor that was written, or of the document itself.
    /// </summary>
    public SourceLocation LocationOf(string fieldPath)
    {
        var path = fieldPath;
        while (path.Length > 0)
        {
            if (FieldLocations.TryGetValue(path, out var location))
            {
                return location;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut > 0 ? path[..cut] : "";
        }

        return Source;
    }
}

/// <summary>Shared empty collections, so records default to empty rather than null.</summary>
public static class Empty
{
    public static IReadOnlyDictionary<string, T> Map<T>() => EmptyMap<T>.Instance;

    private static class EmptyMap<T>
    {
        public static readonly IReadOnlyDictionary<string, T> Instance =
            new System.Collections.ObjectModel.ReadOnlyDictionary<string, T>(new Dictionary<string, T>());
    }
}

/// <summary>A label selector as Istio writes it (<c>selector.matchLabels</c>).</summary>
public sealed record WorkloadSelector
{
    [MaxProperties(4096)]
    [MaxLength(63, Each = true)]
    [Cel(CelRuleNames.LabelKeyNoWildcard)]
    [Cel(CelRuleNames.LabelKeyNotEmpty)]
    [Cel(CelRuleNames.LabelValueNoWildcard, Each = true)]
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = Empty.Map<string>();
}

/// <summary>A policy target reference (Kubernetes Gateway API style), used by the security and telemetry kinds.</summary>
public sealed record PolicyTargetReference
{
    [MaxLength(253)]
    [Pattern(@"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    public string? Group { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern("^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    public string? Kind { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    public string? Name { get; init; }
    [Cel(CelRuleNames.SameNamespace)]
    public string? Namespace { get; init; }
}

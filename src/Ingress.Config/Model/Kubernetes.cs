namespace Ingress.Config.Model;

/// <summary>A Kubernetes Namespace.</summary>
[OpenFields]
public sealed record Namespace : Resource;

/// <summary>A Kubernetes ServiceAccount.</summary>
[OpenFields]
public sealed record ServiceAccount : Resource;

/// <summary>A Kubernetes Secret; <see cref="Data"/> values are base64 as in YAML.</summary>
[OpenFields]
public sealed record Secret : Resource
{
    public string? Type { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init; } = Empty.Map<string>();
    public IReadOnlyDictionary<string, string> StringData { get; init; } = Empty.Map<string>();

    /// <summary>The decoded value of a key from <c>data</c> (base64) or <c>stringData</c>, or null.</summary>
    public byte[]? GetBytes(string key)
    {
        if (StringData.TryGetValue(key, out var text))
        {
            return System.Text.Encoding.UTF8.GetBytes(text);
        }

        if (Data.TryGetValue(key, out var encoded))
        {
            try
            {
                return Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Whether the key is present in <c>data</c> or <c>stringData</c>.</summary>
    public bool HasKey(string key) => Data.ContainsKey(key) || StringData.ContainsKey(key);
}

/// <summary>A Kubernetes ConfigMap.</summary>
[OpenFields]
public sealed record ConfigMap : Resource
{
    public IReadOnlyDictionary<string, string> Data { get; init; } = Empty.Map<string>();
}

/// <summary>A Kubernetes Service: its selector and ports.</summary>
[OpenFields]
public sealed record Service : Resource
{
    public ServiceSpec Spec { get; init; } = new();
}

/// <summary>The parts of a Service spec this project reads.</summary>
[OpenFields]
public sealed record ServiceSpec
{
    public string? Type { get; init; }
    public IReadOnlyDictionary<string, string> Selector { get; init; } = Empty.Map<string>();
    public IReadOnlyList<ServicePort> Ports { get; init; } = [];
}

/// <summary>A Service port.</summary>
[OpenFields]
public sealed record ServicePort
{
    public string? Name { get; init; }
    public int? Port { get; init; }

    /// <summary>A number or a container port name, as written.</summary>
    [IntOrString]
    public string? TargetPort { get; init; }

    public string? Protocol { get; init; }
    public string? AppProtocol { get; init; }
}

/// <summary>A Kubernetes Deployment: the parts that matter here (labels, service account, ports).</summary>
[OpenFields]
public sealed record Deployment : Resource
{
    public DeploymentSpec Spec { get; init; } = new();
}

/// <summary>
/// A Kubernetes Pod given as a manifest: a workload in its own right, as <c>istioctl analyze</c> reads pods from files
/// (its labels are what selectors match).
/// </summary>
[OpenFields]
public sealed record Pod : Resource
{
    public PodSpec Spec { get; init; } = new();
}

/// <summary>The parts of a Deployment spec this project reads.</summary>
[OpenFields]
public sealed record DeploymentSpec
{
    public int? Replicas { get; init; }
    public LabelSelector? Selector { get; init; }
    public PodTemplate? Template { get; init; }
}

/// <summary>A Kubernetes label selector: labels that must be equal, and set-based requirements, all ANDed.</summary>
public sealed record LabelSelector
{
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = Empty.Map<string>();
    public IReadOnlyList<LabelSelectorRequirement> MatchExpressions { get; init; } = [];
}

/// <summary>One set-based requirement of a label selector: <c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>.</summary>
public sealed record LabelSelectorRequirement
{
    [Required]
    public string? Key { get; init; }
    [Required]
    public string? Operator { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
}

/// <summary>A pod template: its metadata and spec.</summary>
[OpenFields]
public sealed record PodTemplate
{
    public ObjectMeta Metadata { get; init; } = new();
    public PodSpec Spec { get; init; } = new();
}

/// <summary>The parts of a pod spec this project reads.</summary>
[OpenFields]
public sealed record PodSpec
{
    public string? ServiceAccountName { get; init; }
    public IReadOnlyList<Container> Containers { get; init; } = [];
    public IReadOnlyList<Container> InitContainers { get; init; } = [];
    public bool? HostNetwork { get; init; }
}

/// <summary>A container: its name, image and ports.</summary>
[OpenFields]
public sealed record Container
{
    public string? Name { get; init; }
    public string? Image { get; init; }
    public IReadOnlyList<ContainerPort> Ports { get; init; } = [];
}

/// <summary>A container port.</summary>
[OpenFields]
public sealed record ContainerPort
{
    public string? Name { get; init; }
    [YamlField("containerPort")]
    public int? Number { get; init; }
}

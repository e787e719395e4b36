namespace Ingress.Config.Model;

/// <summary>
/// gateway.networking.k8s.io ReferenceGrant: lets objects of the listed kinds in other namespaces refer to objects of
/// the listed kinds in this one (a route to a Service, a Gateway to a Secret).
/// </summary>
public sealed record ReferenceGrant : Resource
{
    public ReferenceGrantSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="ReferenceGrant"/>.</summary>
public sealed record ReferenceGrantSpec
{
    [Required]
    [MinItems(1)]
    [MaxItems(16)]
    public IReadOnlyList<ReferenceGrantFrom> From { get; init; } = [];
    [Required]
    [MinItems(1)]
    [MaxItems(16)]
    public IReadOnlyList<ReferenceGrantTo> To { get; init; } = [];
}

/// <summary>Who may refer: a kind in a namespace.</summary>
public sealed record ReferenceGrantFrom
{
    [Required]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Group)]
    public string? Group { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Kind)]
    public string? Kind { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Namespace)]
    public string? Namespace { get; init; }
}

/// <summary>What may be referred to in the grant's namespace: a kind, optionally one object of it.</summary>
public sealed record ReferenceGrantTo
{
    [Required]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Group)]
    public string? Group { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Kind)]
    public string? Kind { get; init; }
    [MinLength(1)]
    [MaxLength(253)]
    public string? Name { get; init; }
}

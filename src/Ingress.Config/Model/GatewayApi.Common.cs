namespace Ingress.Config.Model;

// The parts the Kubernetes Gateway API kinds (gateway.networking.k8s.io) share. Defaults written as initializers are
// the CRDs' own `default`s, which the API server fills in before anything reads an object; the schema tests check
// them against the CRDs.

/// <summary>The schema patterns the Gateway API CRDs repeat, as their types name them.</summary>
public static class GatewayApiPatterns
{
    /// <summary><c>Group</c>: empty (the core group) or a DNS subdomain.</summary>
    public const string Group = @"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary><c>Kind</c>: a CamelCase identifier.</summary>
    public const string Kind = "^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";

    /// <summary><c>Namespace</c>: a DNS label.</summary>
    public const string Namespace = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary><c>SectionName</c> (and a rule's <c>name</c>, a listener's <c>name</c>): a DNS subdomain.</summary>
    public const string SectionName = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary><c>Hostname</c>: a DNS name, optionally with one leading <c>*.</c> label.</summary>
    public const string Hostname = @"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary><c>PreciseHostname</c>: a DNS name without a wildcard.</summary>
    public const string PreciseHostname = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary><c>HTTPHeaderName</c>: an RFC 7230 token.</summary>
    public const string HeaderName = @"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$";

    /// <summary><c>Duration</c>: a subset of Go durations (<c>1h</c>, <c>500ms</c>, up to four parts).</summary>
    public const string Duration = "^([0-9]{1,5}(h|m|s|ms)){1,4}$";

    /// <summary>The API group of the Gateway API kinds.</summary>
    public const string ApiGroup = "gateway.networking.k8s.io";
}

/// <summary>
/// A route's reference to the object it attaches to (<c>ParentReference</c>): a Gateway by default, narrowed to one
/// listener by <c>sectionName</c> and/or <c>port</c>.
/// </summary>
public sealed record ParentReference
{
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Group)]
    public string? Group { get; init; } = GatewayApiPatterns.ApiGroup;
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Kind)]
    public string? Kind { get; init; } = "Gateway";
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    public string? Name { get; init; }

    /// <summary>The parent's namespace; the route's own namespace when not written.</summary>
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Namespace)]
    public string? Namespace { get; init; }

    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.SectionName)]
    public string? SectionName { get; init; }
    [Range(1, 65535)]
    public int? Port { get; init; }
}

/// <summary>A reference to a backend (<c>BackendObjectReference</c>): a Service and port by default.</summary>
[Cel(CelRuleNames.ServiceReferenceNeedsPort)]
public record BackendObjectReference
{
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Group)]
    public string? Group { get; init; } = "";
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Kind)]
    public string? Kind { get; init; } = "Service";
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    public string? Name { get; init; }
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Namespace)]
    public string? Namespace { get; init; }
    [Range(1, 65535)]
    public int? Port { get; init; }
}

/// <summary>A backend with its share of the requests (<c>BackendRef</c>); each route kind adds its own filters.</summary>
public abstract record BackendRef : BackendObjectReference
{
    [Range(0, 1000000)]
    public int? Weight { get; init; } = 1;
}

/// <summary>What every route kind has (<c>CommonRouteSpec</c> and hostnames): the parents it attaches to.</summary>
public abstract record RouteSpec
{
    [MaxItems(32)]
    [Cel(CelRuleNames.ParentSectionNameWhenRepeated)]
    [Cel(CelRuleNames.ParentSectionNameUnique)]
    public IReadOnlyList<ParentReference> ParentRefs { get; init; } = [];

    [MaxItems(16)]
    [MinLength(1, Each = true)]
    [MaxLength(253, Each = true)]
    [Pattern(GatewayApiPatterns.Hostname, Each = true)]
    public IReadOnlyList<string> Hostnames { get; init; } = [];
}

/// <summary>A route of any kind (HTTPRoute, GRPCRoute): what attachment reads.</summary>
public abstract record RouteResource : Resource
{
    /// <summary>The parents and hostnames of the route.</summary>
    public abstract RouteSpec Common { get; }
}

/// <summary>A reference to a Secret, by default (<c>SecretObjectReference</c>).</summary>
public sealed record SecretObjectReference
{
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Group)]
    public string? Group { get; init; } = "";
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Kind)]
    public string? Kind { get; init; } = "Secret";
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    public string? Name { get; init; }
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Namespace)]
    public string? Namespace { get; init; }
}

/// <summary>A reference to an object in the same namespace, every part written (<c>LocalObjectReference</c>).</summary>
public sealed record LocalObjectReference
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
    [MaxLength(253)]
    public string? Name { get; init; }
}

/// <summary>A header match of a route (HTTP or gRPC): exact by default, or a regular expression.</summary>
public sealed record HttpHeaderMatch
{
    [Required]
    [MinLength(1)]
    [MaxLength(256)]
    [Pattern(GatewayApiPatterns.HeaderName)]
    public string? Name { get; init; }
    [OneOf("Exact", "RegularExpression")]
    public string? Type { get; init; } = "Exact";
    [Required]
    [MinLength(1)]
    [MaxLength(4096)]
    public string? Value { get; init; }
}

/// <summary>A header to set or add (<c>HTTPHeader</c>).</summary>
public sealed record HttpHeader
{
    [Required]
    [MinLength(1)]
    [MaxLength(256)]
    [Pattern(GatewayApiPatterns.HeaderName)]
    public string? Name { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(4096)]
    public string? Value { get; init; }
}

/// <summary>The RequestHeaderModifier and ResponseHeaderModifier filters: set, add and remove headers.</summary>
public sealed record HttpHeaderFilter
{
    [MaxItems(16)]
    [ListType("map", "name")]
    public IReadOnlyList<HttpHeader> Set { get; init; } = [];
    [MaxItems(16)]
    [ListType("map", "name")]
    public IReadOnlyList<HttpHeader> Add { get; init; } = [];
    [MaxItems(16)]
    [ListType("set")]
    public IReadOnlyList<string> Remove { get; init; } = [];
}

/// <summary>The RequestMirror filter: a copy of each request (or of a share of them) sent to another backend.</summary>
[Cel(CelRuleNames.MirrorPercentOrFraction)]
public sealed record HttpRequestMirrorFilter
{
    [Required]
    public BackendObjectReference? BackendRef { get; init; }
    [Range(0, 100)]
    public int? Percent { get; init; }
    public MirrorFraction? Fraction { get; init; }
}

/// <summary>The share of requests mirrored, as numerator/denominator.</summary>
[Cel(CelRuleNames.FractionAtMostOne)]
public sealed record MirrorFraction
{
    [Required]
    [Minimum(0)]
    public int? Numerator { get; init; }
    [Minimum(1)]
    public int? Denominator { get; init; } = 100;
}

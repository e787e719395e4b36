namespace Ingress.Config.Model;

/// <summary>
/// gateway.networking.k8s.io BackendTLSPolicy: how a gateway verifies the TLS of the Services it names (the CA and the
/// hostname to check).
/// </summary>
public sealed record BackendTlsPolicy : Resource
{
    public BackendTlsPolicySpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="BackendTlsPolicy"/>.</summary>
public sealed record BackendTlsPolicySpec
{
    [Required]
    [MinItems(1)]
    [MaxItems(16)]
    [Cel(CelRuleNames.TargetSectionNameWhenRepeated)]
    [Cel(CelRuleNames.TargetSectionNameUnique)]
    public IReadOnlyList<BackendTlsTargetReference> TargetRefs { get; init; } = [];
    [Required]
    public BackendTlsValidation? Validation { get; init; }
    [MaxProperties(16)]
    [MinLength(0, Each = true)]
    [MaxLength(4096, Each = true)]
    public IReadOnlyDictionary<string, string> Options { get; init; } = Empty.Map<string>();
}

/// <summary>A Service (or one of its ports, by name) the policy applies to.</summary>
public sealed record BackendTlsTargetReference
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
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.SectionName)]
    public string? SectionName { get; init; }
}

/// <summary>How the backend's certificate is verified: the CA (ConfigMaps, or the system's), the hostname, SANs.</summary>
[Cel(CelRuleNames.CaRefsOrWellKnownNotBoth)]
[Cel(CelRuleNames.CaRefsOrWellKnown)]
public sealed record BackendTlsValidation
{
    [MaxItems(8)]
    public IReadOnlyList<LocalObjectReference> CaCertificateRefs { get; init; } = [];
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(@"^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$")]
    public string? WellKnownCACertificates { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.PreciseHostname)]
    public string? Hostname { get; init; }
    [MaxItems(5)]
    public IReadOnlyList<SubjectAltName> SubjectAltNames { get; init; } = [];
}

/// <summary>A subject alternative name the backend's certificate must carry: a hostname or a URI.</summary>
[Cel(CelRuleNames.SanHostnameForHostnameType)]
[Cel(CelRuleNames.SanHostnameOnlyForHostnameType)]
[Cel(CelRuleNames.SanUriForUriType)]
[Cel(CelRuleNames.SanUriOnlyForUriType)]
public sealed record SubjectAltName
{
    [Required]
    [OneOf("Hostname", "URI")]
    public string? Type { get; init; }
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Hostname)]
    public string? Hostname { get; init; }
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern("^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\\?([^#]*))?(#(.*))?")]
    public string? Uri { get; init; }
}

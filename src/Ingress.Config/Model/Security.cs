
namespace Ingress.Config.Model;

/// <summary>security.istio.io PeerAuthentication: the mutual TLS mode a workload accepts.</summary>
public sealed record PeerAuthentication : Resource
{
    public PeerAuthenticationSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="PeerAuthentication"/>.</summary>
[Cel(CelRuleNames.PortLevelMtlsNeedsSelector)]
public sealed record PeerAuthenticationSpec
{
    public WorkloadSelector? Selector { get; init; }
    public MutualTls? Mtls { get; init; }
    [Cel(CelRuleNames.PortKeysInRange)]
    public IReadOnlyDictionary<string, MutualTls> PortLevelMtls { get; init; } = Empty.Map<MutualTls>();
}

/// <summary>A mutual TLS mode: UNSET, DISABLE, PERMISSIVE or STRICT.</summary>
public sealed record MutualTls
{
    [OneOf("UNSET", "DISABLE", "PERMISSIVE", "STRICT")]
    public string? Mode { get; init; }
}

/// <summary>security.istio.io RequestAuthentication: which JWTs a workload accepts.</summary>
public sealed record RequestAuthentication : Resource
{
    public RequestAuthenticationSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="RequestAuthentication"/>.</summary>
[Cel(CelRuleNames.SelectorOrTargetRefs)]
public sealed record RequestAuthenticationSpec
{
    public WorkloadSelector? Selector { get; init; }
    public PolicyTargetReference? TargetRef { get; init; }
    [MaxItems(16)]
    public IReadOnlyList<PolicyTargetReference> TargetRefs { get; init; } = [];
    [MaxItems(4096)]
    public IReadOnlyList<JwtRule> JwtRules { get; init; } = [];
}

/// <summary>One accepted JWT issuer with its keys and where the token is found.</summary>
[Cel(CelRuleNames.OneJwksSource)]
public sealed record JwtRule
{
    [MinLength(1)]
    public string? Issuer { get; init; }
    [MinLength(1, Each = true)]
    public IReadOnlyList<string> Audiences { get; init; } = [];
    [MinLength(1)]
    [MaxLength(2048)]
    [Cel(CelRuleNames.HttpUrl)]
    public string? JwksUri { get; init; }

    /// <summary>The legacy snake_case spelling of <see cref="JwksUri"/>.</summary>
    [YamlField("jwks_uri")]
    [MinLength(1)]
    [MaxLength(2048)]
    [Cel(CelRuleNames.HttpUrl)]
    public string? JwksUriLegacy { get; init; }

    public string? Jwks { get; init; }
    public IReadOnlyList<JwtHeader> FromHeaders { get; init; } = [];
    [MinLength(1, Each = true)]
    public IReadOnlyList<string> FromParams { get; init; } = [];
    [MinLength(1, Each = true)]
    public IReadOnlyList<string> FromCookies { get; init; } = [];
    public string? OutputPayloadToHeader { get; init; }
    public bool? ForwardOriginalToken { get; init; }
    public IReadOnlyList<ClaimToHeader> OutputClaimToHeaders { get; init; } = [];
    [Cel(CelRuleNames.Duration)]
    public string? Timeout { get; init; }
    [MaxItems(64)]
    [MinLength(1, Each = true)]
    public IReadOnlyList<string> SpaceDelimitedClaims { get; init; } = [];
    [OneOf("OPTIONAL", "REQUIRED")]
    public string? Presence { get; init; }
}

/// <summary>A header a JWT is read from, with an optional prefix such as <c>Bearer </c>.</summary>
public sealed record JwtHeader
{
    [Required]
    [MinLength(1)]
    public string? Name { get; init; }
    public string? Prefix { get; init; }
}

/// <summary>Copies a claim of a verified JWT into a request header.</summary>
public sealed record ClaimToHeader
{
    [Required]
    [MinLength(1)]
    [Pattern("^[-_A-Za-z0-9]+$")]
    public string? Header { get; init; }
    [Required]
    [MinLength(1)]
    public string? Claim { get; init; }
}

/// <summary>security.istio.io AuthorizationPolicy: who may do what to a workload.</summary>
public sealed record AuthorizationPolicy : Resource
{
    public AuthorizationPolicySpec Spec { get; init; } = new();
}

/// <summary>The spec of an <see cref="AuthorizationPolicy"/>.</summary>
[Cel(CelRuleNames.SelectorOrTargetRefs)]
[AtMostOneOf("provider")]
public sealed record AuthorizationPolicySpec
{
    public WorkloadSelector? Selector { get; init; }
    public PolicyTargetReference? TargetRef { get; init; }
    [MaxItems(16)]
    public IReadOnlyList<PolicyTargetReference> TargetRefs { get; init; } = [];
    [MaxItems(512)]
    public IReadOnlyList<Rule> Rules { get; init; } = [];

    /// <summary>ALLOW (default), DENY, AUDIT or CUSTOM.</summary>
    [OneOf("ALLOW", "DENY", "AUDIT", "CUSTOM")]
    public string? Action { get; init; }

    public ExtensionProvider? Provider { get; init; }
}

/// <summary>An external authorizer named for a CUSTOM policy.</summary>
public sealed record ExtensionProvider
{
    public string? Name { get; init; }
}

/// <summary>One rule: sources (OR), operations (OR) and conditions (AND).</summary>
public sealed record Rule
{
    [MaxItems(512)]
    public IReadOnlyList<RuleFrom> From { get; init; } = [];
    public IReadOnlyList<RuleTo> To { get; init; } = [];
    public IReadOnlyList<Condition> When { get; init; } = [];
}

/// <summary>A <c>from</c> entry.</summary>
public sealed record RuleFrom
{
    public Source? Source { get; init; }
}

/// <summary>A <c>to</c> entry.</summary>
public sealed record RuleTo
{
    public Operation? Operation { get; init; }
}

/// <summary>Who the caller is: peer identity, request identity, namespace, address.</summary>
[Cel(CelRuleNames.ServiceAccountsAlone)]
public sealed record Source
{
    public IReadOnlyList<string> Principals { get; init; } = [];
    public IReadOnlyList<string> NotPrincipals { get; init; } = [];
    public IReadOnlyList<string> RequestPrincipals { get; init; } = [];
    public IReadOnlyList<string> NotRequestPrincipals { get; init; } = [];
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public IReadOnlyList<string> NotNamespaces { get; init; } = [];
    [MaxItems(16)]
    [MaxLength(320, Each = true)]
    public IReadOnlyList<string> ServiceAccounts { get; init; } = [];
    [MaxItems(16)]
    [MaxLength(320, Each = true)]
    public IReadOnlyList<string> NotServiceAccounts { get; init; } = [];
    public IReadOnlyList<string> TrustDomains { get; init; } = [];
    public IReadOnlyList<string> NotTrustDomains { get; init; } = [];
    public IReadOnlyList<string> IpBlocks { get; init; } = [];
    public IReadOnlyList<string> NotIpBlocks { get; init; } = [];
    public IReadOnlyList<string> RemoteIpBlocks { get; init; } = [];
    public IReadOnlyList<string> NotRemoteIpBlocks { get; init; } = [];
}

/// <summary>What the request does: host, port, method, path.</summary>
public sealed record Operation
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public IReadOnlyList<string> NotHosts { get; init; } = [];
    public IReadOnlyList<string> Ports { get; init; } = [];
    public IReadOnlyList<string> NotPorts { get; init; } = [];
    public IReadOnlyList<string> Methods { get; init; } = [];
    public IReadOnlyList<string> NotMethods { get; init; } = [];
    public IReadOnlyList<string> Paths { get; init; } = [];
    public IReadOnlyList<string> NotPaths { get; init; } = [];
}

/// <summary>A <c>when</c> condition on a request attribute.</summary>
public sealed record Condition
{
    [Required]
    public string? Key { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
    public IReadOnlyList<string> NotValues { get; init; } = [];
}

namespace Ingress.Config.Model;

/// <summary>
/// gateway.networking.k8s.io GatewayClass: which controller implements the Gateways of a class (Istio's is
/// <c>istio.io/gateway-controller</c> for class <c>istio</c>).
/// </summary>
public sealed record GatewayClass : Resource
{
    public GatewayClassSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="GatewayClass"/>.</summary>
public sealed record GatewayClassSpec
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$")]
    [Cel(CelRuleNames.Immutable)]
    public string? ControllerName { get; init; }
    [MaxLength(64)]
    public string? Description { get; init; }
    public ParametersReference? ParametersRef { get; init; }
}

/// <summary>A reference to implementation-specific parameters of a class.</summary>
public sealed record ParametersReference
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
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Namespace)]
    public string? Namespace { get; init; }
}

/// <summary>
/// gateway.networking.k8s.io Gateway: the listeners (port, protocol, hostname, TLS) a class's controller serves and
/// which routes may attach to them. Named so to tell it from Istio's own <see cref="Gateway"/>, as Istio does.
/// </summary>
public sealed record KubernetesGateway : Resource
{
    public KubernetesGatewaySpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="KubernetesGateway"/>.</summary>
public sealed record KubernetesGatewaySpec
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    public string? GatewayClassName { get; init; }

    [Required]
    [MinItems(1)]
    [MaxItems(64)]
    [ListType("map", "name")]
    [Cel(CelRuleNames.TlsNotForPlainProtocols)]
    [Cel(CelRuleNames.HttpsTlsModeTerminate)]
    [Cel(CelRuleNames.TlsProtocolNeedsMode)]
    [Cel(CelRuleNames.NoHostnameForTcpUdp)]
    [Cel(CelRuleNames.ListenerNamesUnique)]
    [Cel(CelRuleNames.ListenerPortProtocolHostnameUnique)]
    public IReadOnlyList<Listener> Listeners { get; init; } = [];

    /// <summary>
    /// The addresses requested for the gateway's Service; the local gateway listens where <c>--listen</c> says, so they
    /// have no meaning locally (their schema's IP-or-hostname <c>oneOf</c> is not checked either).
    /// </summary>
    [MaxItems(16)]
    public Opaque? Addresses { get; init; }

    /// <summary>Labels, annotations and parameters for the deployment a controller creates; no meaning locally.</summary>
    public Opaque? Infrastructure { get; init; }

    /// <summary>Which ListenerSets may attach (experimental in Istio; not served locally).</summary>
    public Opaque? AllowedListeners { get; init; }

    /// <summary>Gateway-wide TLS: client certificate validation and the certificate shown to backends.</summary>
    public Opaque? Tls { get; init; }
}

/// <summary>One listener of a Gateway: a port, a protocol, an optional hostname, TLS, and the routes allowed.</summary>
public sealed record Listener
{
    [Required]
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.SectionName)]
    public string? Name { get; init; }
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Hostname)]
    public string? Hostname { get; init; }
    [Required]
    [Range(1, 65535)]
    public int? Port { get; init; }
    [Required]
    [MinLength(1)]
    [MaxLength(255)]
    [Pattern(@"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$")]
    public string? Protocol { get; init; }
    public ListenerTlsConfig? Tls { get; init; }
    public AllowedRoutes? AllowedRoutes { get; init; } = new();
}

/// <summary>TLS of a listener: terminate with certificates from Secrets, or pass the connection through.</summary>
[Cel(CelRuleNames.TerminateNeedsCertificates)]
public sealed record ListenerTlsConfig
{
    [OneOf("Terminate", "Passthrough")]
    public string? Mode { get; init; } = "Terminate";
    [MaxItems(64)]
    public IReadOnlyList<SecretObjectReference> CertificateRefs { get; init; } = [];
    [MaxProperties(16)]
    [MinLength(0, Each = true)]
    [MaxLength(4096, Each = true)]
    public IReadOnlyDictionary<string, string> Options { get; init; } = Empty.Map<string>();
}

/// <summary>Which routes may attach to a listener: from which namespaces, and of which kinds.</summary>
public sealed record AllowedRoutes
{
    public RouteNamespaces? Namespaces { get; init; } = new();
    [MaxItems(8)]
    public IReadOnlyList<RouteGroupKind> Kinds { get; init; } = [];
}

/// <summary>The namespaces routes may attach from: <c>Same</c> (the default), <c>All</c>, or a <c>Selector</c>.</summary>
public sealed record RouteNamespaces
{
    [OneOf("All", "Selector", "Same")]
    public string? From { get; init; } = "Same";
    public LabelSelector? Selector { get; init; }
}

/// <summary>A route kind (and group) a listener accepts.</summary>
public sealed record RouteGroupKind
{
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.Group)]
    public string? Group { get; init; } = GatewayApiPatterns.ApiGroup;
    [Required]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(GatewayApiPatterns.Kind)]
    public string? Kind { get; init; }
}

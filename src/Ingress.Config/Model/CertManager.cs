namespace Ingress.Config.Model;

/// <summary>cert-manager.io Issuer: a namespaced certificate authority (ACME, CA, self-signed, Vault, Venafi).</summary>
public sealed record Issuer : Resource
{
    public IssuerSpec Spec { get; init; } = new();
}

/// <summary>cert-manager.io ClusterIssuer: an <see cref="Issuer"/> usable from every namespace.</summary>
public sealed record ClusterIssuer : Resource
{
    public IssuerSpec Spec { get; init; } = new();
}

/// <summary>The spec shared by Issuer and ClusterIssuer: exactly one kind of issuer.</summary>
public sealed record IssuerSpec
{
    public AcmeIssuer? Acme { get; init; }
    public CaIssuer? Ca { get; init; }
    public SelfSignedIssuer? SelfSigned { get; init; }
    public Opaque? Vault { get; init; }
    public Opaque? Venafi { get; init; }
}

/// <summary>An ACME issuer (Let's Encrypt and others).</summary>
public sealed record AcmeIssuer
{
    public string? Server { get; init; }
    public string? Email { get; init; }
    public string? PreferredChain { get; init; }
    public string? Profile { get; init; }
    public string? CaBundle { get; init; }
    public bool? SkipTLSVerify { get; init; }
    public bool? DisableAccountKeyGeneration { get; init; }
    public bool? EnableDurationFeature { get; init; }
    public string? RenewalInformationSource { get; init; }
    public SecretKeySelector? PrivateKeySecretRef { get; init; }
    public Opaque? ExternalAccountBinding { get; init; }
    public IReadOnlyList<AcmeSolver> Solvers { get; init; } = [];
}

/// <summary>A reference to a key of a Secret.</summary>
public sealed record SecretKeySelector
{
    public string? Name { get; init; }
    public string? Key { get; init; }
}

/// <summary>One ACME challenge solver with its selector.</summary>
public sealed record AcmeSolver
{
    public AcmeSolverSelector? Selector { get; init; }
    public AcmeHttp01Solver? Http01 { get; init; }
    public Opaque? Dns01 { get; init; }
    public string? WaitInsteadOfSelfCheck { get; init; }
}

/// <summary>Which certificates a solver is used for.</summary>
public sealed record AcmeSolverSelector
{
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = Empty.Map<string>();
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public IReadOnlyList<string> DnsZones { get; init; } = [];
}

/// <summary>An HTTP-01 solver: through an Ingress or a Gateway API HTTPRoute.</summary>
public sealed record AcmeHttp01Solver
{
    public AcmeHttp01Ingress? Ingress { get; init; }
    public Opaque? GatewayHTTPRoute { get; init; }
}

/// <summary>How cert-manager exposes the HTTP-01 challenge through an Ingress.</summary>
public sealed record AcmeHttp01Ingress
{
    public string? Class { get; init; }
    public string? IngressClassName { get; init; }
    public string? Name { get; init; }
    public string? ServiceType { get; init; }
    public Opaque? PodTemplate { get; init; }
    public Opaque? IngressTemplate { get; init; }
}

/// <summary>A CA issuer signing with the key pair in a Secret.</summary>
public sealed record CaIssuer
{
    public string? SecretName { get; init; }
    public IReadOnlyList<string> CrlDistributionPoints { get; init; } = [];
    public IReadOnlyList<string> OcspServers { get; init; } = [];
    public IReadOnlyList<string> IssuingCertificateURLs { get; init; } = [];
}

/// <summary>A self-signed issuer.</summary>
public sealed record SelfSignedIssuer
{
    public IReadOnlyList<string> CrlDistributionPoints { get; init; } = [];
}

/// <summary>cert-manager.io Certificate: a certificate to obtain and keep renewed in a Secret.</summary>
public sealed record Certificate : Resource
{
    public CertificateSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="Certificate"/>.</summary>
public sealed record CertificateSpec
{
    public string? SecretName { get; init; }
    public IssuerReference? IssuerRef { get; init; }
    public string? CommonName { get; init; }
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public IReadOnlyList<string> IpAddresses { get; init; } = [];
    public IReadOnlyList<string> Uris { get; init; } = [];
    public IReadOnlyList<string> EmailAddresses { get; init; } = [];
    public string? Duration { get; init; }
    public string? RenewBefore { get; init; }
    public int? RenewBeforePercentage { get; init; }
    public bool? IsCA { get; init; }
    public IReadOnlyList<string> Usages { get; init; } = [];
    public CertificatePrivateKey? PrivateKey { get; init; }
    public Opaque? Subject { get; init; }
    public string? LiteralSubject { get; init; }
    public Opaque? SecretTemplate { get; init; }
    public Opaque? Keystores { get; init; }
    public int? RevisionHistoryLimit { get; init; }
    public Opaque? AdditionalOutputFormats { get; init; }
    public bool? EncodeUsagesInRequest { get; init; }
    public Opaque? NameConstraints { get; init; }
    public Opaque? OtherNames { get; init; }
    public string? SignatureAlgorithm { get; init; }
    public Opaque? Renewal { get; init; }
}

/// <summary>Which issuer signs a Certificate.</summary>
public sealed record IssuerReference
{
    public string? Name { get; init; }
    public string? Kind { get; init; }
    public string? Group { get; init; }
}

/// <summary>The private key settings of a Certificate.</summary>
public sealed record CertificatePrivateKey
{
    public string? Algorithm { get; init; }
    public string? Encoding { get; init; }
    public int? Size { get; init; }
    public string? RotationPolicy { get; init; }
}


namespace Ingress.Config.Model;

/// <summary>networking.istio.io Gateway: the ports, protocols and hosts an ingress gateway serves.</summary>
public sealed record Gateway : Resource
{
    public GatewaySpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="Gateway"/>.</summary>
public sealed record GatewaySpec
{
    public IReadOnlyList<Server> Servers { get; init; } = [];
    public IReadOnlyDictionary<string, string> Selector { get; init; } = Empty.Map<string>();
}

/// <summary>One server of a Gateway: a port, its hosts and its TLS settings.</summary>
public sealed record Server
{
    [Required]
    public Port? Port { get; init; }
    public string? Bind { get; init; }
    [Required]
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public ServerTlsSettings? Tls { get; init; }
    public string? DefaultEndpoint { get; init; }
    public string? Name { get; init; }
}

/// <summary>A Gateway server port.</summary>
public sealed record Port
{
    [Required]
    [Range(0, 4294967295)]
    public int? Number { get; init; }
    [Required]
    public string? Protocol { get; init; }
    [Required]
    public string? Name { get; init; }
    [Range(0, 4294967295)]
    public int? TargetPort { get; init; }
}

/// <summary>TLS settings of a Gateway server.</summary>
[Cel(CelRuleNames.TlsCertificatesOrCredentialNames)]
[Cel(CelRuleNames.CredentialNameOrCredentialNames)]
[Cel(CelRuleNames.CredentialNameOrTlsCertificates)]
public sealed record ServerTlsSettings
{
    public bool? HttpsRedirect { get; init; }
    [OneOf("PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL", "OPTIONAL_MUTUAL")]
    public string? Mode { get; init; }
    public string? ServerCertificate { get; init; }
    public string? PrivateKey { get; init; }
    public string? CaCertificates { get; init; }
    public string? CaCrl { get; init; }
    public string? CredentialName { get; init; }
    [MinItems(1)]
    [MaxItems(2)]
    public IReadOnlyList<string> CredentialNames { get; init; } = [];
    public string? CaCertCredentialName { get; init; }
    [MinItems(1)]
    [MaxItems(2)]
    public IReadOnlyList<TlsCertificate> TlsCertificates { get; init; } = [];
    public IReadOnlyList<string> SubjectAltNames { get; init; } = [];
    public IReadOnlyList<string> VerifyCertificateSpki { get; init; } = [];
    public IReadOnlyList<string> VerifyCertificateHash { get; init; } = [];
    [OneOf("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3")]
    public string? MinProtocolVersion { get; init; }
    [OneOf("TLS_AUTO", "TLSV1_0", "TLSV1_1", "TLSV1_2", "TLSV1_3")]
    public string? MaxProtocolVersion { get; init; }
    public IReadOnlyList<string> CipherSuites { get; init; } = [];
    public IReadOnlyList<string> EcdhCurves { get; init; } = [];
    public bool? InsecureSkipVerify { get; init; }
}

/// <summary>A certificate given inline by file paths (<c>tls.tlsCertificates[]</c>).</summary>
public sealed record TlsCertificate
{
    public string? ServerCertificate { get; init; }
    public string? PrivateKey { get; init; }
    public string? CaCertificates { get; init; }
}

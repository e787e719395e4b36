
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
    [Required]
    public string? Server { get; init; }
    public string? Email { get; init; }
    [MaxLength(64)]
    public string? PreferredChain { get; init; }
    public string? Profile { get; init; }
    [Format("byte")]
    public string? CaBundle { get; init; }
    public bool? SkipTLSVerify { get; init; }
    public bool? DisableAccountKeyGeneration { get; init; }
    public bool? EnableDurationFeature { get; init; }
    [OneOf("ARI", "None")]
    public string? RenewalInformationSource { get; init; } = "ARI";
    [Required]
    public SecretKeySelector? PrivateKeySecretRef { get; init; }
    public Opaque? ExternalAccountBinding { get; init; }
    public IReadOnlyList<AcmeSolver> Solvers { get; init; } = [];
}

/// <summary>A reference to a key of a Secret.</summary>
public sealed record SecretKeySelector
{
    [Required]
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
    [Required]
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
    [Required]
    public string? SecretName { get; init; }
    [Required]
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
    [OneOf("signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc", Each = true)]
    public IReadOnlyList<string> Usages { get; init; } = [];
    public CertificatePrivateKey? PrivateKey { get; init; }
    public X509Subject? Subject { get; init; }
    public string? LiteralSubject { get; init; }
    public CertificateSecretTemplate? SecretTemplate { get; init; }
    public CertificateKeystores? Keystores { get; init; }
    public int? RevisionHistoryLimit { get; init; }
    public IReadOnlyList<CertificateAdditionalOutputFormat> AdditionalOutputFormats { get; init; } = [];
    public bool? EncodeUsagesInRequest { get; init; }
    public NameConstraints? NameConstraints { get; init; }
    public IReadOnlyList<OtherName> OtherNames { get; init; } = [];
    [OneOf("SHA256WithRSA", "SHA384WithRSA", "SHA512WithRSA", "ECDSAWithSHA256", "ECDSAWithSHA384", "ECDSAWithSHA512", "PureEd25519")]
    public string? SignatureAlgorithm { get; init; }
    public CertificateRenewal? Renewal { get; init; }
}

/// <summary>Which issuer signs a Certificate.</summary>
public sealed record IssuerReference
{
    [Required]
    public string? Name { get; init; }
    public string? Kind { get; init; }
    public string? Group { get; init; }
}

/// <summary>The private key settings of a Certificate.</summary>
public sealed record CertificatePrivateKey
{
    [OneOf("RSA", "ECDSA", "Ed25519")]
    public string? Algorithm { get; init; }
    [OneOf("PKCS1", "PKCS8")]
    public string? Encoding { get; init; }
    public int? Size { get; init; }
    [OneOf("Never", "Always")]
    public string? RotationPolicy { get; init; }
}

/// <summary>The X.509 subject fields of a Certificate besides its common name.</summary>
public sealed record X509Subject
{
    public IReadOnlyList<string> Organizations { get; init; } = [];
    public IReadOnlyList<string> Countries { get; init; } = [];
    public IReadOnlyList<string> OrganizationalUnits { get; init; } = [];
    public IReadOnlyList<string> Localities { get; init; } = [];
    public IReadOnlyList<string> Provinces { get; init; } = [];
    public IReadOnlyList<string> StreetAddresses { get; init; } = [];
    public IReadOnlyList<string> PostalCodes { get; init; } = [];
    public string? SerialNumber { get; init; }
}

/// <summary>Labels and annotations cert-manager copies onto the certificate's Secret.</summary>
public sealed record CertificateSecretTemplate
{
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = Empty.Map<string>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = Empty.Map<string>();
}

/// <summary>Extra keystore files (JKS, PKCS#12) written into the certificate's Secret.</summary>
public sealed record CertificateKeystores
{
    public JksKeystore? Jks { get; init; }
    public Pkcs12Keystore? Pkcs12 { get; init; }
}

/// <summary>A JKS keystore written beside the PEM files.</summary>
public sealed record JksKeystore
{
    [Required]
    public bool? Create { get; init; }
    public string? Alias { get; init; }
    public string? Password { get; init; }
    public SecretKeySelector? PasswordSecretRef { get; init; }
}

/// <summary>A PKCS#12 keystore written beside the PEM files.</summary>
public sealed record Pkcs12Keystore
{
    [Required]
    public bool? Create { get; init; }
    public string? Password { get; init; }
    public SecretKeySelector? PasswordSecretRef { get; init; }
    [OneOf("LegacyRC2", "LegacyDES", "Modern2023", "Modern2026")]
    public string? Profile { get; init; }
}

/// <summary>An extra output format of the certificate's Secret (DER, CombinedPEM).</summary>
public sealed record CertificateAdditionalOutputFormat
{
    [Required]
    [OneOf("DER", "CombinedPEM")]
    public string? Type { get; init; }
}

/// <summary>X.509 name constraints of a CA certificate.</summary>
public sealed record NameConstraints
{
    public bool? Critical { get; init; }
    public NameConstraintItem? Permitted { get; init; }
    public NameConstraintItem? Excluded { get; init; }
}

/// <summary>The names a CA certificate's name constraints permit or exclude.</summary>
public sealed record NameConstraintItem
{
    public IReadOnlyList<string> DnsDomains { get; init; } = [];
    public IReadOnlyList<string> IpRanges { get; init; } = [];
    public IReadOnlyList<string> EmailAddresses { get; init; } = [];
    public IReadOnlyList<string> UriDomains { get; init; } = [];
}

/// <summary>A subject alternative name of type otherName (an OID with a UTF-8 value).</summary>
public sealed record OtherName
{
    public string? Oid { get; init; }
    public string? Utf8Value { get; init; }
}

/// <summary>When cert-manager may renew a certificate: its policy and time windows.</summary>
public sealed record CertificateRenewal
{
    [OneOf("RenewBefore", "Disabled")]
    public string? Policy { get; init; }
    public IReadOnlyList<RenewalWindow> Windows { get; init; } = [];
}

/// <summary>A cron-scheduled window in which renewal may happen.</summary>
public sealed record RenewalWindow
{
    [Required]
    [MinLength(1)]
    public string? Cron { get; init; }
    [MinLength(1)]
    public string? Timezone { get; init; }
    [Required]
    [Pattern(@"^([0-9]+(\.[0-9]+)?(s|m|h))+$")]
    public string? WindowDuration { get; init; }
}

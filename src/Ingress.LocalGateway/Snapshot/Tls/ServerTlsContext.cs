using System.Net.Security;

namespace Ingress.LocalGateway.Snapshot.Tls;

/// <summary>
/// The TLS setup of one HTTPS server: the options every handshake for it uses, or why its handshakes fail (a missing
/// or broken credential fails only this server, as with Istio's SDS).
/// </summary>
public sealed class ServerTlsContext
{
    /// <summary>The handshake options, or null when the credential could not be loaded.</summary>
    public SslServerAuthenticationOptions? Options { get; init; }

    /// <summary>Why handshakes fail, naming the Secret or file; null when <see cref="Options"/> is set.</summary>
    public string? Failure { get; init; }

    /// <summary>TLS mode as written (SIMPLE, MUTUAL, OPTIONAL_MUTUAL).</summary>
    public required string Mode { get; init; }

    /// <summary>Where the certificate comes from (<c>secret istio-system/name</c> or a file path).</summary>
    public required string CredentialSource { get; init; }

    /// <summary>The leaf certificate's subject and expiry, for config dumps.</summary>
    public string? CertificateSummary { get; init; }
}

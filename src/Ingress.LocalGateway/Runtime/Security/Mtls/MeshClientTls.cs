using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Runtime.Security.Mtls;

/// <summary>
/// The client side of Istio mutual TLS (DestinationRule <c>ISTIO_MUTUAL</c>, or auto mTLS toward a sidecar): present
/// this proxy's workload certificate (the current one, so rotation applies to the next connection) and accept only a
/// peer whose certificate chains to the mesh root and carries a SPIFFE identity of the trust domain (or, when the
/// DestinationRule lists <c>subjectAltNames</c>, one of those).
/// </summary>
public static class MeshClientTls
{
    /// <summary>The TLS options for a connection to a mesh workload.</summary>
    public static SslClientAuthenticationOptions Options(WorkloadCertificate identity, X509Certificate2 root,
        IReadOnlyList<string>? subjectAltNames = null)
    {
        var expected = subjectAltNames is { Count: > 0 } ? subjectAltNames : null;
        return new SslClientAuthenticationOptions
        {
            LocalCertificateSelectionCallback = (_, _, _, _, _) => identity.Current,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is X509Certificate2 peer && IsMeshPeer(peer, root, expected),
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
    }

    /// <summary>A pooled client for requests to mesh workloads (http or https URLs; https ones use mutual TLS).</summary>
    public static HttpMessageInvoker CreateClient(WorkloadCertificate identity, X509Certificate2 root,
        IReadOnlyList<string>? subjectAltNames = null) =>
        new(CreateHandler(identity, root, subjectAltNames), disposeHandler: true);

    /// <summary>The handler behind <see cref="CreateClient"/>.</summary>
    public static SocketsHttpHandler CreateHandler(WorkloadCertificate identity, X509Certificate2 root,
        IReadOnlyList<string>? subjectAltNames = null) =>
        new()
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ActivityHeadersPropagator = null,
            SslOptions = Options(identity, root, subjectAltNames),
        };

    /// <summary>Whether a peer certificate is a workload of this mesh (and, when given, one of the expected identities).</summary>
    public static bool IsMeshPeer(X509Certificate2 peer, X509Certificate2 root, IReadOnlyList<string>? expected)
    {
        if (!WorkloadCertificate.IsIssuedBy(peer, root))
        {
            return false;
        }

        var identity = PeerIdentity.FromCertificate(peer);
        return expected is null
            ? identity.UriSans.Any(u => u.StartsWith($"spiffe://{MeshCa.TrustDomain}/", StringComparison.Ordinal))
            : identity.UriSans.Any(u => expected.Contains(u, StringComparer.Ordinal));
    }
}

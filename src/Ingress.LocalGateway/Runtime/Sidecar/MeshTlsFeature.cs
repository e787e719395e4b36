using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Features;

namespace Ingress.LocalGateway.Runtime.Sidecar;

/// <summary>What a mutual TLS connection to the workload proxy tells each request: the verified peer certificate.</summary>
internal sealed class MeshTlsFeature(X509Certificate2 peer) : ITlsConnectionFeature
{
    public X509Certificate2? ClientCertificate
    {
        get => peer;
        set => throw new NotSupportedException("the peer certificate is fixed by the handshake");
    }

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
        Task.FromResult<X509Certificate2?>(peer);
}

using System.Security.Cryptography.X509Certificates;

namespace Ingress.LocalGateway.Runtime.Security.Mtls;

/// <summary>
/// A proxy's identity in the local mesh for the connections it opens (the gateway toward its upstreams): its workload
/// certificate from the mesh CA, and the root it verifies peers against. Which clusters use it is decided at compile
/// time (<c>Compile/AutoMutualTls</c>).
/// </summary>
public sealed class MeshIdentity : IDisposable
{
    private readonly MeshCa _ca;

    public MeshIdentity(string meshCaDirectory, string spiffeId, TimeSpan? lifetime = null, TimeProvider? time = null)
    {
        _ca = MeshCa.LoadOrCreate(meshCaDirectory);
        Certificate = new WorkloadCertificate(_ca, spiffeId, lifetime ?? TimeSpan.FromHours(24), time);
    }

    /// <summary>The certificate presented to upstreams.</summary>
    public WorkloadCertificate Certificate { get; }

    /// <summary>The mesh root peers must chain to.</summary>
    public X509Certificate2 Root => _ca.Root;

    /// <summary>The client for a cluster reached with Istio mutual TLS.</summary>
    public HttpMessageInvoker CreateClient(IReadOnlyList<string> subjectAltNames) =>
        MeshClientTls.CreateClient(Certificate, Root, subjectAltNames);

    public void Dispose() => _ca.Dispose();
}

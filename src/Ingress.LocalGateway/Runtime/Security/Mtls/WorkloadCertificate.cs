using System.Security.Cryptography.X509Certificates;

namespace Ingress.LocalGateway.Runtime.Security.Mtls;

/// <summary>
/// The current certificate of one workload identity, re-issued by the mesh CA once half of its lifetime has passed
/// (Istio's agent rotates at the same point), so long-running proxies never present an expired identity.
/// </summary>
public sealed class WorkloadCertificate
{
    private readonly MeshCa _ca;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private X509Certificate2 _current;

    public WorkloadCertificate(MeshCa ca, string spiffeId, TimeSpan lifetime, TimeProvider? time = null)
    {
        _ca = ca;
        SpiffeId = spiffeId;
        Lifetime = lifetime;
        _time = time ?? TimeProvider.System;
        _current = ca.Issue(spiffeId, lifetime, _time.GetUtcNow());
    }

    public string SpiffeId { get; }
    public TimeSpan Lifetime { get; }

    /// <summary>The certificate to present now (rotated when due).</summary>
    public X509Certificate2 Current
    {
        get
        {
            var current = _current;
            var halfLife = current.NotBefore.ToUniversalTime() + (current.NotAfter - current.NotBefore) / 2;
            if (_time.GetUtcNow().UtcDateTime < halfLife)
            {
                return current;
            }

            lock (_gate)
            {
                if (ReferenceEquals(current, _current))
                {
                    // The old certificate stays valid for connections already using it; it is not disposed here.
                    _current = _ca.Issue(SpiffeId, Lifetime, _time.GetUtcNow());
                }

                return _current;
            }
        }
    }

    /// <summary>Whether a certificate chains to the mesh root (and only to it).</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(certificate);
    }
}

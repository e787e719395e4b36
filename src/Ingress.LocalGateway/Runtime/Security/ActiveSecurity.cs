using Ingress.LocalGateway.Runtime.Security.Jwt;
using Ingress.LocalGateway.Snapshot.Security;

namespace Ingress.LocalGateway.Runtime.Security;

/// <summary>A workload's compiled security with what verifies its tokens while it is served (the JWT key sources).</summary>
public sealed class ActiveSecurity
{
    public ActiveSecurity(WorkloadSecurity policy, JwksCache? keys = null, TimeProvider? time = null)
    {
        Policy = policy;
        Authentication = new JwtAuthenticator(policy.JwtProviders, keys, time);
    }

    /// <summary>Nothing to enforce.</summary>
    public static ActiveSecurity None { get; } = new(WorkloadSecurity.None);

    /// <summary>What is enforced, as compiled.</summary>
    public WorkloadSecurity Policy { get; }

    /// <summary>Verifies the tokens of a request against the policy's providers.</summary>
    public JwtAuthenticator Authentication { get; }

    public bool IsEmpty => Policy.IsEmpty;
}

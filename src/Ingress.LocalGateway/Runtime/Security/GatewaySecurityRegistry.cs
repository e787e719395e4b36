using System.Runtime.CompilerServices;
using Ingress.LocalGateway.Snapshot.Security;
using Ingress.LocalGateway.Snapshot;

namespace Ingress.LocalGateway.Runtime.Security;

/// <summary>
/// Keeps the security compiled for each gateway snapshot beside it, so a request is authenticated and authorized by
/// the same config version it is routed by, and a reload swaps both at once.
/// </summary>
public static class GatewaySecurityRegistry
{
    private static readonly ConditionalWeakTable<GatewaySnapshot, WorkloadSecurity> Compiled = new();

    public static void Attach(GatewaySnapshot snapshot, WorkloadSecurity security) => Compiled.AddOrUpdate(snapshot, security);

    public static WorkloadSecurity For(GatewaySnapshot snapshot) =>
        Compiled.TryGetValue(snapshot, out var security) ? security : WorkloadSecurity.None;
}

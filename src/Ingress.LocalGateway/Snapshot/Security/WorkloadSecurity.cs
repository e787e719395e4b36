using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Ingress.LocalGateway.Snapshot.Security.Jwt;

namespace Ingress.LocalGateway.Snapshot.Security;

/// <summary>
/// The request security of one workload (the gateway, or a sidecar's service) compiled from one config: its JWT
/// providers and its authorization policies. Immutable; a reload compiles a new one.
/// </summary>
public sealed record WorkloadSecurity
{
    /// <summary>The <c>jwtRules</c> of the RequestAuthentications that select the workload, sorted by issuer.</summary>
    public required IReadOnlyList<JwtProvider> JwtProviders { get; init; }

    public required AuthorizationEvaluator Authorization { get; init; }

    /// <summary>The findings; any error means the config must be refused.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Nothing to enforce.</summary>
    public static WorkloadSecurity None { get; } = new()
    {
        JwtProviders = [],
        Authorization = AuthorizationEvaluator.Empty,
    };

    public bool IsEmpty => JwtProviders.Count == 0 && Authorization.IsEmpty;

    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Runtime.Security.Jwt;
using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Snapshot.Security;

/// <summary>
/// The request security of one workload (the gateway, or a sidecar's service) compiled from one config: its JWT
/// rules and its authorization policies. Immutable; a reload compiles a new one.
/// </summary>
public sealed record WorkloadSecurity
{
    public required JwtAuthenticator Authentication { get; init; }
    public required AuthorizationEvaluator Authorization { get; init; }

    /// <summary>The findings; any error means the config must be refused.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Nothing to enforce.</summary>
    public static WorkloadSecurity None { get; } = new()
    {
        Authentication = JwtAuthenticator.None,
        Authorization = AuthorizationEvaluator.Empty,
    };

    public bool IsEmpty => Authentication.IsEmpty && Authorization.IsEmpty;

    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>Compiles the RequestAuthentications and AuthorizationPolicies that select the workload.</summary>
    public static WorkloadSecurity Compile(ConfigSet config, WorkloadIdentity workload, HttpClient jwksClient,
        string rootNamespace = PolicySelection.DefaultRootNamespace)
    {
        var authn = RequestAuthentications.ForWorkload(config, workload, jwksClient, out var authnFindings, rootNamespace);
        var authz = AuthorizationPolicies.ForWorkload(config, workload, out var authzFindings, rootNamespace);
        return new WorkloadSecurity
        {
            Authentication = authn,
            Authorization = authz,
            Diagnostics = [.. authnFindings, .. authzFindings],
        };
    }
}

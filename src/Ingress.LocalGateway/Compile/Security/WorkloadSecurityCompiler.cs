using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Security;

namespace Ingress.LocalGateway.Compile.Security;

/// <summary>Compiles the request security of one workload: the gateway's for its snapshot, a sidecar's for its state.</summary>
public static class WorkloadSecurityCompiler
{
    /// <summary>Compiles the RequestAuthentications and AuthorizationPolicies that select the workload.</summary>
    public static WorkloadSecurity Compile(ConfigSet config, WorkloadIdentity workload,
        string rootNamespace = PolicySelection.DefaultRootNamespace)
    {
        var providers = RequestAuthentications.ForWorkload(config, workload, out var authnFindings, rootNamespace);
        var authz = AuthorizationPolicies.ForWorkload(config, workload, out var authzFindings, rootNamespace);
        return new WorkloadSecurity
        {
            JwtProviders = providers,
            Authorization = authz,
            Diagnostics = [.. authnFindings, .. authzFindings],
        };
    }
}

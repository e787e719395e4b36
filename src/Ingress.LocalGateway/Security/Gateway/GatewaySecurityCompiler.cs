using Ingress.Config.Model;
using Ingress.LocalGateway.Compilation;
using Ingress.LocalGateway.Security.Authorization;

namespace Ingress.LocalGateway.Security.Gateway;

/// <summary>Compiles the gateway workload's security for a snapshot and keeps it beside the snapshot.</summary>
public static class GatewaySecurityCompiler
{
    private static readonly HttpClient JwksClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Compiles and attaches; returns the findings (errors refuse the config).</summary>
    public static IReadOnlyList<Ingress.Config.Diagnostics.Diagnostic> CompileFor(GatewaySnapshot snapshot, ConfigSet config, GatewayOptions options)
    {
        var security = WorkloadSecurity.Compile(config, new WorkloadIdentity(options.Namespace, options.Labels), JwksClient);
        GatewaySecurityRegistry.Attach(snapshot, security);
        return security.Diagnostics;
    }
}

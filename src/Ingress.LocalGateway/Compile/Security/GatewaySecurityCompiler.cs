using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Security;
using Ingress.LocalGateway.Runtime.Security;

namespace Ingress.LocalGateway.Compile.Security;

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

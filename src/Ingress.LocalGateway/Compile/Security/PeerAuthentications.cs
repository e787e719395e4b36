using System.Globalization;
using Ingress.Config.Istio;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Security;

namespace Ingress.LocalGateway.Compile.Security;

/// <summary>
/// Composes the effective PeerAuthentication of one workload as Istio does (<c>ComposePeerAuthentication</c>): the
/// narrowest scope wins (workload over namespace over mesh), the oldest policy wins within a scope, UNSET inherits from
/// the wider scope, port-level settings override the workload's mode, and with no policy at all the mode is PERMISSIVE.
/// </summary>
public static class PeerAuthentications
{
    /// <summary>The effective policy of the workload.</summary>
    public static PeerAuthenticationPolicy ForWorkload(ConfigSet config, WorkloadIdentity workload,
        string rootNamespace = PolicySelection.DefaultRootNamespace)
    {
        PeerAuthentication? mesh = null, ns = null, wl = null;
        foreach (var policy in CreationOrder.Sort(config.OfType<PeerAuthentication>()))
        {
            var hasSelector = policy.Spec.Selector is { MatchLabels.Count: > 0 };
            if (!hasSelector && policy.Metadata.Namespace == rootNamespace)
            {
                mesh ??= policy;
            }
            else if (!hasSelector && policy.Metadata.Namespace == workload.Namespace)
            {
                ns ??= policy;
            }
            else if (hasSelector && PolicySelection.Applies(policy, policy.Spec.Selector, workload, rootNamespace))
            {
                wl ??= policy;
            }
        }

        var mode = MtlsMode.Permissive;
        foreach (var policy in new[] { mesh, ns, wl })
        {
            if (Parse(policy?.Spec.Mtls?.Mode) is { } m)
            {
                mode = m;
            }
        }

        var ports = new Dictionary<int, MtlsMode>();
        if (wl is not null)
        {
            foreach (var (key, value) in wl.Spec.PortLevelMtls)
            {
                if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    ports[port] = Parse(value.Mode) ?? mode;
                }
            }
        }

        return new PeerAuthenticationPolicy(mode, ports);
    }

    private static MtlsMode? Parse(string? mode) => mode?.ToUpperInvariant() switch
    {
        "STRICT" => MtlsMode.Strict,
        "PERMISSIVE" => MtlsMode.Permissive,
        "DISABLE" => MtlsMode.Disable,
        _ => null,
    };
}

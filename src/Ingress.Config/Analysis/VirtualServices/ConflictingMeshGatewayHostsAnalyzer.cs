using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// IST0109: two VirtualServices bound to the mesh (no <c>gateways</c>, or <c>mesh</c>) define the same host for the
/// same namespaces, which Istio resolves arbitrarily. Compare Istio's <c>virtualservice/conflictingmeshgatewayhosts.go</c>.
/// </summary>
public sealed class ConflictingMeshGatewayHostsAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.ConflictingMeshGatewayHostsAnalyzer";

    public string Description => "Checks that VirtualServices bound to the mesh do not define the same host";

    public IReadOnlyList<string> Codes { get; } = [Messages.ConflictingMeshGatewayVirtualServiceHosts.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var byHost = new Dictionary<string, List<(VirtualService Vs, string Host)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var vs in context.Config.VirtualServices)
        {
            if (vs.Spec.Gateways.Count > 0 && !vs.Spec.Gateways.Contains(GatewayReferences.Mesh))
            {
                continue;
            }

            var ns = vs.Metadata.Namespace;
            var scopes = vs.Spec.ExportTo.Count == 0 || vs.Spec.ExportTo.Contains("*")
                ? ["*"]
                : vs.Spec.ExportTo.Select(e => e == "." ? ns : e).Distinct().ToList();
            foreach (var scope in scopes)
            {
                foreach (var host in vs.Spec.Hosts.Distinct())
                {
                    var key = $"{scope}/{HostNames.ResolveShortName(host, ns)}";
                    if (!byHost.TryGetValue(key, out var list))
                    {
                        byHost[key] = list = [];
                    }

                    list.Add((vs, host));
                }
            }
        }

        foreach (var list in byHost.Values.Where(l => l.Select(e => e.Vs).Distinct().Count() > 1))
        {
            var names = string.Join(',', list.Select(e => $"{e.Vs.Metadata.Namespace}/{e.Vs.Metadata.Name}").Distinct());
            foreach (var (vs, host) in list)
            {
                yield return Messages.ConflictingMeshGatewayVirtualServiceHosts.At(vs, "metadata.name", null, names, host);
            }
        }
    }
}

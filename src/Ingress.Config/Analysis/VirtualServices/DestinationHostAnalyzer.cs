using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// IST0101/IST0112/IST0140: a VirtualService's destination hosts are Services visible to it, on a port they expose;
/// and a gateway-bound route without a subset is not silently ignoring another VirtualService's subset rules. Compare
/// Istio's <c>virtualservice/destinationhosts.go</c> (analyzeVirtualService, analyzeSubset) and
/// <c>analyzers/util: GetDestinationHost</c> for visibility: a Service is seen through its
/// <c>networking.istio.io/exportTo</c> annotation (<c>*</c> without one), looked up in <c>*</c> and in the namespaces
/// the VirtualService is exported to (its own without exportTo). Istio checks against the cluster; locally only what is loaded is known,
/// so hosts are checked only when the configuration holds at least one Service (a gateway-only bundle stays quiet),
/// and only cluster-local hosts (<c>*.svc.cluster.local</c>, short names, and <c>name.namespace</c> forms of a
/// loaded Service): other names may be ServiceEntries, which this tool does not load.
/// </summary>
public sealed class DestinationHostAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.DestinationHostAnalyzer";

    public string Description => "Checks that a VirtualService's destination hosts are Services in the configuration, on ports they expose";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.ReferencedResourceNotFound.Code, Messages.VirtualServiceDestinationPortSelectorRequired.Code, Messages.IngressRouteRulesNotAffected.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService", "Service"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var finding in IneffectiveSubsets(context.Config))
        {
            yield return finding;
        }

        var index = ConfigIndex.For(context.Config);
        if (!index.HasServices)
        {
            yield break;
        }

        foreach (var vs in context.Config.VirtualServices)
        {
            foreach (var destination in RouteDestinationRef.Of(vs))
            {
                var finding = Check(index, vs, destination);
                if (finding is not null)
                {
                    yield return finding;
                }
            }
        }
    }

    private static Diagnostic? Check(ConfigIndex index, VirtualService vs, RouteDestinationRef reference)
    {
        var host = reference.Destination.Host;
        if (string.IsNullOrEmpty(host) || host.StartsWith('*'))
        {
            return null;
        }

        var ns = vs.Metadata.Namespace;
        var fqdn = HostNames.ResolveShortName(host, ns);
        var refType = reference.IsMirror ? "mirror host" : "host";
        var service = index.FindService(fqdn);
        if (service is null)
        {
            var advice = MissingAdvice(index, host, fqdn, ns);
            return advice is null
                ? null
                : Messages.ReferencedResourceNotFound.At(vs, reference.HostPath, advice, refType, Messages.Quote(host));
        }

        if (!VisibleTo(service, vs))
        {
            var exported = ExportTo.OfServiceAnnotation(service.Metadata.Annotations);
            return Messages.ReferencedResourceNotFound.At(
                vs,
                reference.HostPath,
                $"{service.DisplayName} is exported only to {string.Join(", ", exported)} ({ExportTo.ServiceAnnotation}), which does not " +
                $"include where this VirtualService applies ({string.Join(", ", ViewerScopes(vs))}): export the Service there or move the VirtualService.",
                refType,
                Messages.Quote(host));
        }

        var ports = service.Spec.Ports.Where(p => p.Port is not null).Select(p => p.Port!.Value).ToList();
        var port = reference.Destination.Port?.Number;
        if (port is null)
        {
            return ports.Count > 1
                ? Messages.VirtualServiceDestinationPortSelectorRequired.At(
                    vs,
                    reference.HostPath,
                    $"Add destination.port.number (one of {string.Join(", ", ports)}).",
                    Messages.Quote(host),
                    Messages.GoList(ports))
                : null;
        }

        return ports.Contains(port.Value)
            ? null
            : Messages.ReferencedResourceNotFound.At(
                vs,
                $"{reference.Path}.port.number",
                $"{service.DisplayName} exposes {(ports.Count == 1 ? "port" : "ports")} {string.Join(", ", ports)}: route to {(ports.Count == 1 ? "it" : "one of them")}.",
                reference.IsMirror ? "mirror host:port" : "host:port",
                Messages.Quote($"{host}:{port}"));
    }

    /// <summary>Istio's GetDestinationHost visibility: the Service's scopes meet <c>*</c> or the VirtualService's.</summary>
    private static bool VisibleTo(Service service, VirtualService vs)
    {
        var scopes = ExportTo.OfServiceAnnotation(service.Metadata.Annotations)
            .Select(e => e == "." ? service.Metadata.Namespace : e)
            .DefaultIfEmpty("*");
        var viewers = ViewerScopes(vs).Prepend("*").ToHashSet(StringComparer.Ordinal);
        return scopes.Any(viewers.Contains);
    }

    private static IEnumerable<string> ViewerScopes(VirtualService vs) =>
        vs.Spec.ExportTo.Count == 0
            ? [vs.Metadata.Namespace]
            : vs.Spec.ExportTo.Select(e => e == "." ? vs.Metadata.Namespace : e);

    /// <summary>
    /// Istio's analyzeSubset (IST0140): a VirtualService with gateways routes to a host without a subset, while some
    /// VirtualService (any, as Istio indexes them all) routes that same host, written the same way, to a subset and
    /// lists it among its own hosts: those subset rules apply to the mesh, not to requests through the gateway.
    /// </summary>
    private static IEnumerable<Diagnostic> IneffectiveSubsets(ConfigSet config)
    {
        var withSubsets = config.VirtualServices
            .Select(vs => (Vs: vs, Hosts: vs.Spec.Http.SelectMany(r => r.Route)
                .Select(d => d.Destination)
                .Where(d => d is { Subset.Length: > 0 } && vs.Spec.Hosts.Contains(d.Host!, StringComparer.Ordinal))
                .Select(d => d!.Host!)
                .ToHashSet(StringComparer.Ordinal)))
            .Where(entry => entry.Hosts.Count > 0)
            .ToList();
        foreach (var vs in config.VirtualServices.Where(v => v.Spec.Gateways.Count > 0))
        {
            for (var i = 0; i < vs.Spec.Http.Count; i++)
            {
                for (var j = 0; j < vs.Spec.Http[i].Route.Count; j++)
                {
                    var destination = vs.Spec.Http[i].Route[j].Destination;
                    if (destination is null || !string.IsNullOrEmpty(destination.Subset))
                    {
                        continue;
                    }

                    foreach (var (other, hosts) in withSubsets.Where(e => e.Hosts.Contains(destination.Host ?? "")))
                    {
                        yield return Messages.IngressRouteRulesNotAffected.At(
                            vs,
                            $"spec.http[{i}].route[{j}].destination.host",
                            $"Requests through the gateway go to every endpoint of {destination.Host}: add the subset to this route, or add the gateway to {other.DisplayName}.",
                            $"{other.Metadata.Namespace}/{other.Metadata.Name}",
                            $"{vs.Metadata.Namespace}/{vs.Metadata.Name}");
                    }
                }
            }
        }
    }

    private static string? MissingAdvice(ConfigIndex index, string host, string fqdn, string vsNamespace)
    {
        var labels = host.Split('.');
        if (!fqdn.EndsWith(HostNames.ClusterLocalSuffix, StringComparison.OrdinalIgnoreCase))
        {
            // "name.namespace" or "name.namespace.svc" of a loaded Service: Istio does not expand these.
            if (labels.Length is 2 or 3 && (labels.Length == 2 || labels[2] == "svc")
                && index.FindService($"{labels[0]}.{labels[1]}{HostNames.ClusterLocalSuffix}") is not null)
            {
                return $"Istio does not expand \"{host}\": write {labels[0]}.{labels[1]}{HostNames.ClusterLocalSuffix}. Until then the gateway answers 503 (NC) for this route.";
            }

            return null;
        }

        var name = labels[0];
        var advice = $"No Service {fqdn} is in the configuration, so the gateway answers 503 (NC) for this route.";
        if (!host.Contains('.', StringComparison.Ordinal))
        {
            advice += $" A short name is expanded in the VirtualService's namespace, {vsNamespace}.";
        }

        var other = index.Config.Services.FirstOrDefault(s => s.Metadata.Name == name);
        return other is not null
            ? $"{advice} {other.DisplayName} exists: write {ConfigIndex.ServiceFqdn(other)}."
            : $"{advice} Fix the host or add the Service.";
    }
}

using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.VirtualServices;

/// <summary>
/// IST0101/IST0132/IST0165: the Gateways a VirtualService binds to exist, and serve at least one of its hosts (for the
/// VirtualService's namespace); a Gateway Istio generates for a Gateway API Gateway is not one to name (IST0165, not
/// IST0101, as Istio reports it). A name that is no Istio Gateway may be a Gateway API Gateway, whose listeners' hostnames
/// count. Compare Istio's <c>virtualservice/gateways.go</c>.
/// </summary>
public sealed class VirtualServiceGatewayAnalyzer : IAnalyzer
{
    public string Name => "virtualservice.GatewayAnalyzer";

    public string Description => "Checks that the Gateways a VirtualService names exist and serve its hosts";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.ReferencedResourceNotFound.Code, Messages.VirtualServiceHostNotFoundInGateway.Code, Messages.ReferencedInternalGateway.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["VirtualService", "Gateway", "Gateway (gateway.networking.k8s.io)"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var vs in context.Config.VirtualServices)
        {
            var ns = vs.Metadata.Namespace;
            for (var i = 0; i < vs.Spec.Gateways.Count; i++)
            {
                var reference = vs.Spec.Gateways[i];
                if (GatewayReferences.IsInternal(reference))
                {
                    yield return Messages.ReferencedInternalGateway.At(
                        vs,
                        $"spec.gateways[{i}]",
                        "Route through the Gateway API Gateway with an HTTPRoute, or bind the VirtualService to an Istio Gateway of your own.",
                        $"{ns}/{vs.Metadata.Name}",
                        reference);
                    continue;
                }

                var gateway = Find(context.Config, reference, ns, out var missing);
                var kubernetes = missing is null ? null : context.Config.Find<KubernetesGateway>(missing.Namespace, missing.Name);
                if (missing is not null && kubernetes is null)
                {
                    yield return missing.At(vs, $"spec.gateways[{i}]", context.Config);
                    continue;
                }

                // Istio also binds a VirtualService to a Gateway API Gateway of that name, on all its listeners.
                Resource? bound = gateway is not null ? gateway : kubernetes;
                if (bound is null || vs.Spec.Hosts.Count == 0 ||
                    (gateway is not null ? ServesAnyHost(gateway, vs) : ListenersServeAnyHost(kubernetes!, vs)))
                {
                    continue;
                }

                yield return Messages.VirtualServiceHostNotFoundInGateway.At(
                    vs,
                    $"spec.gateways[{i}]",
                    $"Add the host to a server of the Gateway, or bind the VirtualService to the Gateway that serves it; until then the gateway ignores this VirtualService.",
                    Messages.GoList(vs.Spec.Hosts),
                    $"{ns}/{vs.Metadata.Name}",
                    $"{bound.Metadata.Namespace}/{bound.Metadata.Name}");
            }

            for (var i = 0; i < vs.Spec.Http.Count; i++)
            {
                for (var j = 0; j < vs.Spec.Http[i].Match.Count; j++)
                {
                    var gateways = vs.Spec.Http[i].Match[j].Gateways;
                    for (var k = 0; k < gateways.Count; k++)
                    {
                        Find(context.Config, gateways[k], ns, out var missing);
                        if (missing is not null && context.Config.Find<KubernetesGateway>(missing.Namespace, missing.Name) is null)
                        {
                            yield return missing.At(vs, $"spec.http[{i}].match[{j}].gateways[{k}]", context.Config);
                        }
                    }
                }
            }
        }
    }

    private static Gateway? Find(ConfigSet config, string reference, string ns, out Missing? missing)
    {
        missing = null;
        if (GatewayReferences.Resolve(reference, ns) is not { } name)
        {
            return null;
        }

        var gateway = config.Find<Gateway>(name.Namespace, name.Name);
        if (gateway is null)
        {
            missing = new Missing(reference, name.Namespace, name.Name);
        }

        return gateway;
    }

    private static bool ServesAnyHost(Gateway gateway, VirtualService vs)
    {
        var serverHosts = gateway.Spec.Servers
            .SelectMany(server => server.Hosts)
            .Select(host => HostNames.SplitServerHost(host, gateway.Metadata.Namespace))
            .Where(host => host.Namespace is null || host.Namespace == vs.Metadata.Namespace)
            .Select(host => host.Host);
        return serverHosts.Any(serverHost => vs.Spec.Hosts.Any(vsHost => HostNames.Matches(serverHost, vsHost)));
    }

    /// <summary>Istio's <c>vsHostInKubernetesGateway</c>: a listener without hostname serves every host.</summary>
    private static bool ListenersServeAnyHost(KubernetesGateway gateway, VirtualService vs) =>
        gateway.Spec.Listeners.Any(l => string.IsNullOrEmpty(l.Hostname) || vs.Spec.Hosts.Any(h => HostNames.Matches(l.Hostname, h)));

    private sealed record Missing(string Reference, string Namespace, string Name)
    {
        public Diagnostic At(VirtualService vs, string path, ConfigSet config)
        {
            var elsewhere = config.Gateways
                .Where(g => g.Metadata.Name == Name && g.Metadata.Namespace != Namespace)
                .Select(g => g.Metadata.Namespace)
                .FirstOrDefault();
            var advice = elsewhere is not null
                ? $"It is looked up as {Namespace}/{Name}; a Gateway {Name} exists in namespace {elsewhere}: write \"{elsewhere}/{Name}\"."
                : $"It is looked up as {Namespace}/{Name} (a short name means the VirtualService's own namespace): create that Gateway or write \"<namespace>/<name>\".";
            return Messages.ReferencedResourceNotFound.At(vs, path, advice, "gateway", Messages.Quote(Reference));
        }
    }
}

using System.Runtime.CompilerServices;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>Lookups shared by the analyzers, built once per <see cref="ConfigSet"/>.</summary>
internal sealed class ConfigIndex
{
    private static readonly ConditionalWeakTable<ConfigSet, ConfigIndex> Cache = new();

    private readonly Dictionary<string, Service> _servicesByFqdn;

    private ConfigIndex(ConfigSet config)
    {
        Config = config;
        Workloads = config.OfType<Deployment>().Select(Workload.FromDeployment)
            .Concat(config.OfType<Pod>().Select(Workload.FromPod))
            .ToList();
        _servicesByFqdn = new Dictionary<string, Service>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in config.Services)
        {
            _servicesByFqdn.TryAdd(ServiceFqdn(service), service);
        }
    }

    public ConfigSet Config { get; }

    /// <summary>The workloads of the Deployments and Pods in the configuration.</summary>
    public IReadOnlyList<Workload> Workloads { get; }

    /// <summary>Whether the configuration holds any Service, so a missing one is worth reporting.</summary>
    public bool HasServices => _servicesByFqdn.Count > 0;

    public static ConfigIndex For(ConfigSet config) => Cache.GetValue(config, c => new ConfigIndex(c));

    public static string ServiceFqdn(Service service) =>
        $"{service.Metadata.Name}.{service.Metadata.Namespace}{HostNames.ClusterLocalSuffix}";

    /// <summary>The Service a host names once expanded (<c>name.ns.svc.cluster.local</c>), or null.</summary>
    public Service? FindService(string fqdn) => _servicesByFqdn.GetValueOrDefault(fqdn);

    /// <summary>
    /// The pods a Gateway's selector picks: the Deployments whose pod labels match it (any namespace, as Istio
    /// does unless gateways are scoped to their namespace); when none does, the gateway Istio installed, assumed
    /// to run in <see cref="AnalysisContext.GatewayNamespace"/>.
    /// </summary>
    public IReadOnlyList<Workload> GatewayWorkloads(Gateway gateway, AnalysisContext context)
    {
        var selector = gateway.Spec.Selector;
        if (selector.Count > 0)
        {
            var matched = Workloads.Where(w => Labels.Matches(selector, w.Labels)).ToList();
            if (matched.Count > 0)
            {
                return matched;
            }
        }

        return [new Workload(context.GatewayNamespace, "", selector, Empty.Map<string>(), null)];
    }

    /// <summary>
    /// The namespace the Gateway's workload reads credentials from (Istio's analyzer takes the first matching pod's).
    /// </summary>
    public Workload GatewayWorkload(Gateway gateway, AnalysisContext context) => GatewayWorkloads(gateway, context)[0];

    /// <summary>The workloads of a namespace a policy's selector picks (no selector: all of them).</summary>
    public IEnumerable<Workload> Selected(string ns, WorkloadSelector? selector) =>
        Workloads.Where(w => w.Namespace == ns && (selector is null || Labels.Matches(selector.MatchLabels, w.Labels)));

    /// <summary>The Namespace resource of that name, or null when the configuration does not describe it.</summary>
    public Namespace? FindNamespace(string name) => Config.Find<Namespace>("", name)
        ?? Config.OfType<Namespace>().FirstOrDefault(n => n.Metadata.Name == name);
}

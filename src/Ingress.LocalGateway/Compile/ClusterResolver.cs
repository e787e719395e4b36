using Ingress.Config.Analysis;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Upstreams;
using HostNames = Ingress.Config.Istio.HostNames;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Turns route destinations into clusters: endpoints by host and port, narrowed by the DestinationRule subset's
/// labels. An unknown host or undefined subset has no cluster (Envoy's 503 NC); a known one with no endpoints has an
/// empty cluster (503 UH). Each cluster gets the DestinationRule policy for its port and subset, and says whether it
/// is reached with Istio mutual TLS; the runtime builds its running state.
/// </summary>
public sealed class ClusterResolver
{
    private readonly ConfigSet _config;
    private readonly IReadOnlyList<EndpointDefinition> _endpoints;
    private readonly string _gatewayNamespace;
    private readonly CompileDiagnostics _diagnostics;
    private readonly TrafficPolicyCompiler _policies;
    private readonly bool _hasMeshIdentity;
    private readonly HashSet<string> _reportedNoMesh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Cluster> _clusters = new(StringComparer.Ordinal);
    private readonly List<Cluster> _order = [];

    /// <param name="hasMeshIdentity">Whether the proxy has a mesh identity (<c>--mesh-ca</c>) to speak Istio mutual TLS with.</param>
    public ClusterResolver(ConfigSet config, IReadOnlyList<EndpointDefinition> endpoints, string gatewayNamespace,
        CompileDiagnostics diagnostics, bool hasMeshIdentity = false)
    {
        _hasMeshIdentity = hasMeshIdentity;
        _config = config;
        _endpoints = endpoints;
        _gatewayNamespace = gatewayNamespace;
        _diagnostics = diagnostics;
        _policies = new TrafficPolicyCompiler(config, gatewayNamespace, diagnostics);
    }

    /// <summary>Every cluster a route refers to, by name.</summary>
    public IReadOnlyDictionary<string, Cluster> Clusters => _clusters;

    /// <summary>Every cluster a route refers to, by <see cref="Cluster.Index"/>.</summary>
    public IReadOnlyList<Cluster> ClusterList => _order;

    /// <summary>Resolves a destination; the cluster is null when Envoy would not find one.</summary>
    public (Cluster? Cluster, int Port) Resolve(string host, int? port, string? subset, Resource owner, string fieldPath)
    {
        var service = FindService(host);
        var hostEndpoints = _endpoints.Where(e => e.Host == host).ToList();
        var resolvedPort = port ?? InferPort(service, hostEndpoints);
        if (service is null && hostEndpoints.Count == 0)
        {
            _diagnostics.Add(Messages.ReferencedResourceNotFound.Code, Severity.Warning, owner, fieldPath + ".host",
                $"Referenced host not found: \"{host}\"; requests routed to it get 503 NC. Give it a local address with " +
                $"--endpoint {host}:{(resolvedPort == 0 ? 80 : resolvedPort)}=http://127.0.0.1:<port>");
            return (null, resolvedPort);
        }

        IReadOnlyDictionary<string, string>? subsetLabels = null;
        if (!string.IsNullOrEmpty(subset))
        {
            subsetLabels = FindSubset(host, subset)?.Labels;
            if (subsetLabels is null)
            {
                _diagnostics.Add(Messages.ReferencedResourceNotFound.Code, Severity.Warning, owner, fieldPath + ".subset",
                    $"Referenced host+subset in destinationrule not found: \"{host}+{subset}\"; requests routed to it get 503 NC");
                return (null, resolvedPort);
            }
        }

        var name = Cluster.NameFor(host, resolvedPort, subset);
        if (_clusters.TryGetValue(name, out var existing))
        {
            return (existing, resolvedPort);
        }

        var selected = hostEndpoints
            .Where(e => e.Port == resolvedPort)
            .Where(e => subsetLabels is null || subsetLabels.All(l => e.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .ToArray();
        var rule = string.IsNullOrEmpty(subset) ? RulesFor(host).FirstOrDefault() : FindSubset(host, subset)?.Rule;
        var policy = _policies.Compile(rule, subset, resolvedPort, out var tls);
        var (endpoints, meshTls) = ApplyMeshTls(name, selected, rule, tls, owner, fieldPath);
        var cluster = new Cluster
        {
            Name = name,
            Host = host,
            Port = resolvedPort,
            Subset = subset,
            Index = _order.Count,
            Endpoints = endpoints,
            Policy = policy,
            MeshTls = meshTls,
        };
        _clusters[name] = cluster;
        _order.Add(cluster);
        return (cluster, resolvedPort);
    }

    // Istio mutual TLS toward the cluster's endpoints (DestinationRule ISTIO_MUTUAL after Istio's subset and port
    // merge, or auto mTLS to sidecars when no tls is set): those endpoints are reached over https with the gateway's
    // mesh identity and the subject alt names accepted from them; otherwise the cluster's own TLS settings apply.
    private (IReadOnlyList<EndpointDefinition> Endpoints, IReadOnlyList<string>? MeshTls) ApplyMeshTls(string name,
        EndpointDefinition[] selected, DestinationRule? rule, ClientTlsSettings? tls, Resource owner, string fieldPath)
    {
        if (!selected.Any(e => AutoMutualTls.UsesMeshTls(tls, e)))
        {
            return (selected, null);
        }

        if (!_hasMeshIdentity)
        {
            if (_reportedNoMesh.Add(name))
            {
                var why = tls is null
                    ? $"its endpoints are labelled {AutoMutualTls.TlsModeLabel}={AutoMutualTls.TlsModeIstio} (auto mTLS)"
                    : $"DestinationRule {rule!.Metadata.Namespace}/{rule.Metadata.Name} says tls.mode ISTIO_MUTUAL";
                _diagnostics.Add(SecurityCodes.NoMeshIdentity, Severity.Warning, (Resource?)rule ?? owner,
                    rule is null || tls is null ? fieldPath + ".host" : "spec.trafficPolicy.tls.mode",
                    $"cluster {name}: {why}, but the gateway has no mesh identity; requests are sent in plain text. " +
                    "Start it with --mesh-ca <dir> (the folder of the local mesh CA the sidecars use) to speak mutual TLS");
            }

            return (selected, null);
        }

        var endpoints = selected.Select(e => AutoMutualTls.UsesMeshTls(tls, e) ? AutoMutualTls.WithTls(e) : e).ToArray();
        return (endpoints, tls?.SubjectAltNames ?? []);
    }

    private Service? FindService(string host)
    {
        foreach (var service in _config.Services)
        {
            if (HostNames.ResolveShortName(service.Metadata.Name, service.Metadata.Namespace) == host)
            {
                return service;
            }
        }

        return null;
    }

    private static int InferPort(Service? service, List<EndpointDefinition> endpoints)
    {
        if (service is not null && service.Spec.Ports.Count == 1 && service.Spec.Ports[0].Port is { } servicePort)
        {
            return servicePort;
        }

        var ports = endpoints.Select(e => e.Port).Distinct().ToList();
        return ports.Count == 1 ? ports[0] : 0;
    }

    /// <summary>The DestinationRules for a host, the gateway's namespace first (Istio's lookup order for a proxy).</summary>
    private List<DestinationRule> RulesFor(string host) =>
        _config.DestinationRules
            .Where(r => r.Spec.Host is not null && HostNames.ResolveShortName(r.Spec.Host, r.Metadata.Namespace) == host)
            .OrderBy(r => r.Metadata.Namespace == _gatewayNamespace ? 0 : 1)
            .ToList();

    private (DestinationRule Rule, IReadOnlyDictionary<string, string> Labels)? FindSubset(string host, string subset)
    {
        foreach (var rule in RulesFor(host))
        {
            var match = rule.Spec.Subsets.FirstOrDefault(s => s.Name == subset);
            if (match is not null)
            {
                return (rule, match.Labels);
            }
        }

        return null;
    }
}

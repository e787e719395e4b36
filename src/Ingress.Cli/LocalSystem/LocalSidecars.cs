using System.Net;
using Ingress.Config.Loading;
using Ingress.Config.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Ingress.LocalGateway.Hosting.Sidecar;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Hosting.Reload;

namespace Ingress.Cli.LocalSystem;

/// <summary>A service instance's workload as the overlay's Deployment declares it: identity, pod labels, container port.</summary>
/// <param name="Namespace">The Deployment's namespace.</param>
/// <param name="ServiceAccount">The pod's <c>serviceAccountName</c>.</param>
/// <param name="Labels">The pod template's labels (what policy selectors match).</param>
/// <param name="ContainerPort">The container port (what PeerAuthentication portLevelMtls and policy ports name).</param>
public sealed record LocalWorkload(string Namespace, string ServiceAccount, IReadOnlyDictionary<string, string> Labels, int ContainerPort)
{
    /// <summary>The workload's SPIFFE identity.</summary>
    public string SpiffeId => MeshCa.SpiffeId(Namespace, ServiceAccount);
}

/// <summary>
/// Puts every service instance of the local system behind a workload proxy (in this process), as Istio's injector puts a
/// sidecar in every pod of an injected namespace: each proxy has the identity and labels of the overlay's Deployment,
/// enforces the overlay's PeerAuthentication, RequestAuthentications and AuthorizationPolicies for it, and carries the
/// service's call to the next link of the chain with mutual TLS.
/// </summary>
public static class LocalSidecars
{
    /// <summary>The folder of the local mesh CA under the state folder.</summary>
    public static string MeshCaDirectory(string stateDirectory) => Path.Combine(stateDirectory, "mesh-ca");

    /// <summary>Finds the Deployment of each instance in the overlay (by the pod labels <c>app</c> and <c>version</c>).</summary>
    public static IReadOnlyDictionary<string, LocalWorkload> Resolve(ConfigSet config, IReadOnlyList<ServiceInstance> services,
        LocalEdge? edge = null)
    {
        edge ??= LocalEdge.Istio;
        var workloads = new Dictionary<string, LocalWorkload>(StringComparer.Ordinal);
        foreach (var instance in services)
        {
            var deployment = config.OfType<Deployment>().FirstOrDefault(d =>
                d.Spec.Template?.Metadata.Labels is { } labels
                && labels.TryGetValue("app", out var app) && app == instance.ServiceName
                && labels.TryGetValue("version", out var version) && version == instance.Version)
                ?? throw new LocalSystemException(
                    $"the local overlay has no Deployment whose pods are labelled app={instance.ServiceName}, version={instance.Version} " +
                    $"(for {instance.Name}); restore it in {edge.OverlayPath} or refresh {edge.PreRenderedPath}");
            var pod = deployment.Spec.Template!;
            var port = pod.Spec.Containers.SelectMany(c => c.Ports).Select(p => p.Number).FirstOrDefault(p => p is > 0) ?? 8080;
            workloads[instance.Name] = new LocalWorkload(
                deployment.Metadata.Namespace ?? "default",
                pod.Spec.ServiceAccountName ?? "default",
                pod.Metadata.Labels,
                port);
        }

        return workloads;
    }

    /// <summary>Loads the rendered overlay as the proxies read it; a load error stops the start with its findings.</summary>
    public static ConfigSet Load(string overlayPath)
    {
        var result = ConfigLoader.LoadPaths([overlayPath], new LoadOptions { DefaultNamespace = "default" });
        if (result.HasErrors)
        {
            throw new LocalSystemException("the local overlay does not load: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == Ingress.Config.Diagnostics.Severity.Error)));
        }

        return result.Config;
    }

    /// <summary>
    /// Starts one proxy per instance: inbound on its sidecar port, forwarding to the instance's port, and (for a link
    /// of the chain) an outbound listener the instance calls for its downstream. Stops the started ones on failure.
    /// </summary>
    public static async Task<IReadOnlyList<SidecarHost>> StartAsync(string overlayPath, string stateDirectory,
        IReadOnlyDictionary<string, LocalWorkload> workloads, LocalSystemPorts ports, CancellationToken cancellationToken)
    {
        var started = new List<SidecarHost>();
        try
        {
            foreach (var instance in LocalTopology.Services)
            {
                var workload = workloads[instance.Name];
                var outbound = instance.Downstream is { } next
                    ? new[] { new OutboundRoute(new IPEndPoint(IPAddress.Loopback, ports.Outbound[instance.Name]), new Uri($"https://127.0.0.1:{ports.Sidecars[next]}")) }
                    : [];
                var options = new SidecarOptions
                {
                    ConfigPaths = [overlayPath],
                    Namespace = workload.Namespace,
                    ServiceAccount = workload.ServiceAccount,
                    Labels = workload.Labels,
                    Listen = new IPEndPoint(IPAddress.Loopback, ports.Sidecars[instance.Name]),
                    Forward = new Uri($"http://127.0.0.1:{ports.Services[instance.Name]}"),
                    WorkloadPort = workload.ContainerPort,
                    Outbound = outbound,
                    MeshCaDirectory = MeshCaDirectory(stateDirectory),
                    DrainTimeout = TimeSpan.FromSeconds(2),
                };
                var host = new SidecarHost(options, new FileConfigSource(options.ConfigPaths, "default"), NullLoggerFactory.Instance);
                started.Add(host);
                SidecarStartResult result;
                try
                {
                    result = await host.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new LocalSystemException($"the sidecar of {instance.Name} could not listen: {e.Message}");
                }

                if (!result.Started)
                {
                    throw new LocalSystemException($"the sidecar of {instance.Name} refused the overlay: " +
                        string.Join("; ", result.Diagnostics.Where(d => d.Severity == Ingress.Config.Diagnostics.Severity.Error)));
                }
            }

            return started;
        }
        catch
        {
            foreach (var host in started)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}

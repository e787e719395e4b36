using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>The Deployments as rendered: hardened, probed, and with shutdown timings that fit the service's.</summary>
public sealed class WorkloadTests
{
    public static TheoryData<string, string> MeshDeployments() => new()
    {
        { "local", "httpserver" },
        { "local", "httpserver-v2" },
        { "local", "service0" },
        { "local", "service1" },
        { "local", "service2" },
        { "production", "httpserver" },
    };

    [KubectlTheory]
    [MemberData(nameof(MeshDeployments))]
    public void Deployment_runs_hardened(string overlay, string name)
    {
        var deployment = Manifest.RenderOverlay(overlay).Single("Deployment", "httpserver", name);
        var pod = deployment.Node("spec.template.spec")!;
        var container = pod.Sequence("containers").Single();

        Assert.Equal("true", pod.Scalar("securityContext.runAsNonRoot"));
        Assert.Equal("1654", pod.Scalar("securityContext.runAsUser"));
        Assert.Equal("RuntimeDefault", pod.Scalar("securityContext.seccompProfile.type"));
        Assert.Equal("false", container.Scalar("securityContext.allowPrivilegeEscalation"));
        Assert.Equal("true", container.Scalar("securityContext.readOnlyRootFilesystem"));
        Assert.Equal(new[] { "ALL" }, container.Sequence("securityContext.capabilities.drop").Select(n => ((YamlScalarNode)n).Value));
        Assert.NotNull(container.Scalar("resources.requests.cpu"));
        Assert.NotNull(container.Scalar("resources.requests.memory"));
        Assert.NotNull(container.Scalar("resources.limits.memory"));
        // A read-only root still needs a writable /tmp.
        var tmp = container.Sequence("volumeMounts").Single(m => m.Scalar("mountPath") == "/tmp");
        var volume = pod.Sequence("volumes").Single(v => v.Scalar("name") == tmp.Scalar("name"));
        Assert.NotNull(volume.Scalar("emptyDir.sizeLimit"));
    }

    [KubectlTheory]
    [MemberData(nameof(MeshDeployments))]
    public void Deployment_probes_health_and_readiness_on_the_named_http_port(string overlay, string name)
    {
        var container = Manifest.RenderOverlay(overlay).Single("Deployment", "httpserver", name)
            .Node("spec.template.spec")!.Sequence("containers").Single();

        Assert.Equal("http", container.Scalar("ports.0.name"));
        Assert.Equal("8080", container.Scalar("ports.0.containerPort"));
        Assert.Equal("/healthz", container.Scalar("livenessProbe.httpGet.path"));
        Assert.Equal("/healthz", container.Scalar("startupProbe.httpGet.path"));
        Assert.Equal("/readyz", container.Scalar("readinessProbe.httpGet.path"));
        foreach (var probe in new[] { "livenessProbe", "startupProbe", "readinessProbe" })
        {
            Assert.Equal("http", container.Scalar($"{probe}.httpGet.port"));
        }
    }

    [KubectlTheory]
    [MemberData(nameof(MeshDeployments))]
    public void Shutdown_timings_of_pod_sidecar_and_service_fit_together(string overlay, string name)
    {
        var template = Manifest.RenderOverlay(overlay).Single("Deployment", "httpserver", name).Node("spec.template")!;
        var env = Env(template.Node("spec.containers.0")!);
        using var proxyConfig = JsonDocument.Parse(template.StringMap("metadata.annotations")["proxy.istio.io/config"]);

        var drain = double.Parse(env["Shutdown__DrainDelaySeconds"], CultureInfo.InvariantCulture);
        var grace = double.Parse(env["Shutdown__GracePeriodSeconds"], CultureInfo.InvariantCulture);
        var podGrace = int.Parse(template.Scalar("spec.terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture);
        var proxyDrain = Seconds(proxyConfig.RootElement.GetProperty("terminationDrainDuration").GetString()!);

        Assert.True(proxyConfig.RootElement.GetProperty("holdApplicationUntilProxyStarts").GetBoolean());
        // The service's own rule: the drain is part of the grace period.
        Assert.True(drain < grace, $"Shutdown drain {drain}s must be shorter than the grace period {grace}s");
        // The sidecar serves as long as the service may still finish requests, and the kubelet kills neither early.
        Assert.True(proxyDrain >= grace, $"terminationDrainDuration {proxyDrain}s < the service's grace period {grace}s");
        Assert.True(podGrace > proxyDrain, $"terminationGracePeriodSeconds {podGrace} must exceed the proxy drain {proxyDrain}s");
    }

    [KubectlTheory]
    [MemberData(nameof(MeshDeployments))]
    public void Service_listens_on_the_port_the_container_declares(string overlay, string name)
    {
        var container = Manifest.RenderOverlay(overlay).Single("Deployment", "httpserver", name).Node("spec.template.spec.containers.0")!;

        Assert.Equal(container.Scalar("ports.0.containerPort"), Env(container)["ASPNETCORE_HTTP_PORTS"]);
    }

    [KubectlTheory]
    [MemberData(nameof(MeshDeployments))]
    public void Prometheus_annotations_name_the_apps_own_port_and_path_for_istio_metrics_merging(string overlay, string name)
    {
        var annotations = Manifest.RenderOverlay(overlay).Single("Deployment", "httpserver", name).Node("spec.template")!
            .StringMap("metadata.annotations");

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("8080", annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        Assert.False(annotations.ContainsKey("prometheus.istio.io/merge-metrics"));
    }

    [KubectlFact]
    public void Service_exposes_port_80_named_http_to_the_containers_http_port()
    {
        var objects = Manifest.RenderOverlay("local");
        var service = objects.Single("Service", "httpserver", "httpserver");

        Assert.Equal("http", service.Scalar("spec.ports.0.name"));
        Assert.Equal("80", service.Scalar("spec.ports.0.port"));
        Assert.Equal("http", service.Scalar("spec.ports.0.targetPort"));
        Assert.Equal("httpserver", service.Scalar("spec.selector.app"));
        Assert.Equal("1", objects.Single("PodDisruptionBudget", "httpserver", "httpserver").Scalar("spec.maxUnavailable"));
    }

    [KubectlFact]
    public void Canary_differs_from_the_stable_track_only_in_version_and_replicas()
    {
        var objects = Manifest.RenderOverlay("local");
        var stable = objects.Single("Deployment", "httpserver", "httpserver");
        var canary = objects.Single("Deployment", "httpserver", "httpserver-v2");

        Assert.Equal("v1", stable.Scalar("spec.template.metadata.labels.version"));
        Assert.Equal("v2", canary.Scalar("spec.template.metadata.labels.version"));
        Assert.Equal("v2", canary.Scalar("spec.selector.matchLabels.version"));
        Assert.Equal(
            stable.Scalar("spec.template.spec.containers.0.image"),
            canary.Scalar("spec.template.spec.containers.0.image"));
    }

    [KubectlFact]
    public void Chain_links_each_service_to_the_next()
    {
        var objects = Manifest.RenderOverlay("chain");

        Assert.Equal("http://service1.httpserver.svc.cluster.local", Downstream(objects, "service0"));
        Assert.Equal("http://service2.httpserver.svc.cluster.local", Downstream(objects, "service1"));
        Assert.Null(Downstream(objects, "service2"));
        Assert.Equal("service0", objects.Single("Deployment", "httpserver", "service0").Scalar("spec.template.spec.serviceAccountName"));
    }

    private static string? Downstream(IReadOnlyList<KubeObject> objects, string name) =>
        objects.Single("Deployment", "httpserver", name).Node("spec.template.spec.containers.0")!
            .Sequence("env").SingleOrDefault(e => e.Scalar("name") == "Downstream__Url")?.Scalar("value");

    private static Dictionary<string, string> Env(YamlNode container) =>
        container.Sequence("env").Where(e => e.Scalar("value") is not null)
            .ToDictionary(e => e.Scalar("name")!, e => e.Scalar("value")!, StringComparer.Ordinal);

    private static int Seconds(string duration)
    {
        Assert.EndsWith("s", duration, StringComparison.Ordinal);
        return int.Parse(duration[..^1], CultureInfo.InvariantCulture);
    }
}

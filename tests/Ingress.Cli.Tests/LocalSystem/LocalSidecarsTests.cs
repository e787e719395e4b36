using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>Each service of the local system gets the sidecar identity and labels its Deployment in the overlay declares.</summary>
public sealed class LocalSidecarsTests
{
    [Fact]
    public void Every_instance_takes_the_identity_labels_and_port_of_its_deployment()
    {
        var config = LocalSidecars.Load(Path.Combine(RepositoryPaths.RepositoryRoot, LocalOverlay.PreRenderedPath));

        var workloads = LocalSidecars.Resolve(config, LocalTopology.Services);

        Assert.Equal("spiffe://cluster.local/ns/httpserver/sa/httpserver", workloads["httpserver-v1"].SpiffeId);
        Assert.Equal("spiffe://cluster.local/ns/httpserver/sa/httpserver", workloads["httpserver-v2"].SpiffeId);
        Assert.Equal("spiffe://cluster.local/ns/httpserver/sa/service0", workloads["service0"].SpiffeId);
        Assert.Equal("spiffe://cluster.local/ns/httpserver/sa/service2", workloads["service2"].SpiffeId);
        Assert.Equal("httpserver", workloads["httpserver-v2"].Labels["app"]);
        Assert.Equal("v2", workloads["httpserver-v2"].Labels["version"]);
        Assert.Equal("service1", workloads["service1"].Labels["app"]);
        Assert.All(workloads.Values, w => Assert.Equal(8080, w.ContainerPort));
    }

    [Fact]
    public void A_missing_deployment_is_named_with_what_to_do()
    {
        var config = LocalSidecars.Load(Path.Combine(RepositoryPaths.RepositoryRoot, LocalOverlay.PreRenderedPath));
        ServiceInstance[] services = [new() { Name = "billing", ServiceName = "billing", Version = "v1", ServiceHost = "billing.httpserver.svc.cluster.local" }];

        var error = Assert.Throws<LocalSystemException>(() => LocalSidecars.Resolve(config, services));

        Assert.Equal(
            "the local overlay has no Deployment whose pods are labelled app=billing, version=v1 (for billing); restore it in " +
            "deploy/overlays/local or refresh deploy/rendered/local.yaml", error.Message);
    }
}

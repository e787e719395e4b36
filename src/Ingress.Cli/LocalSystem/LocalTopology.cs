namespace Ingress.Cli.LocalSystem;

/// <summary>One instance of the service that the local system runs, standing for a Deployment of the <c>local</c> overlay.</summary>
public sealed record ServiceInstance
{
    /// <summary>The part's name (process, log file): <c>httpserver-v1</c>, <c>service0</c>.</summary>
    public required string Name { get; init; }

    /// <summary>OTEL_SERVICE_NAME, as the overlay's Deployment sets it (the trace viewer groups spans by it).</summary>
    public required string ServiceName { get; init; }

    /// <summary>VERSION and the endpoint's <c>version</c> label (DestinationRule subsets select on it).</summary>
    public required string Version { get; init; }

    /// <summary>The Kubernetes Service whose traffic it receives (the VirtualService's destination host).</summary>
    public required string ServiceHost { get; init; }

    /// <summary>The Service of its release track alone, which the Gateway API routes name for the canary, or null.</summary>
    public string? TrackServiceHost { get; init; }

    /// <summary>The instance its <c>/hello</c> calls next (the chain), or null.</summary>
    public string? Downstream { get; init; }
}

/// <summary>What runs locally for the <c>local</c> overlay: its Deployments as processes, and the Services they back.</summary>
public static class LocalTopology
{
    /// <summary>The port every Service of the overlay exposes (and the VirtualServices route to).</summary>
    public const int ServicePort = 80;

    /// <summary>
    /// <c>httpserver</c> v1 and v2 (the user's routes, the canary by header and by weight) and the tracing chain
    /// <c>service0 → service1 → service2</c> (the overlay's <c>/test/chain</c> route).
    /// </summary>
    public static IReadOnlyList<ServiceInstance> Services { get; } =
    [
        new() { Name = "httpserver-v1", ServiceName = "httpserver", Version = "v1", ServiceHost = Fqdn("httpserver"), TrackServiceHost = Fqdn("httpserver-v1") },
        new() { Name = "httpserver-v2", ServiceName = "httpserver", Version = "v2", ServiceHost = Fqdn("httpserver"), TrackServiceHost = Fqdn("httpserver-v2") },
        new() { Name = "service0", ServiceName = "service0", Version = "v1", ServiceHost = Fqdn("service0"), Downstream = "service1" },
        new() { Name = "service1", ServiceName = "service1", Version = "v1", ServiceHost = Fqdn("service1"), Downstream = "service2" },
        new() { Name = "service2", ServiceName = "service2", Version = "v1", ServiceHost = Fqdn("service2") },
    ];

    /// <summary>The gateway's service name in traces, as Istio names its ingress gateway's spans.</summary>
    public static string GatewayServiceName => LocalEdge.Istio.GatewayServiceName;

    private static string Fqdn(string service) => $"{service}.httpserver.svc.cluster.local";
}

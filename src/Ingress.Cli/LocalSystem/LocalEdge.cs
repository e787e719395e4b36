namespace Ingress.Cli.LocalSystem;

/// <summary>
/// Which API the local system's edge is written in (<c>ingress up --api</c>): Istio's Gateway and VirtualService
/// (<c>deploy/overlays/local</c>), or the Kubernetes Gateway API's Gateway and HTTPRoutes
/// (<c>deploy/overlays/gateway-api/local</c>). Everything behind the edge is the same.
/// </summary>
public sealed record LocalEdge
{
    /// <summary>The <c>--api</c> value.</summary>
    public required string Name { get; init; }

    /// <summary>The overlay, relative to the clone's root.</summary>
    public required string OverlayPath { get; init; }

    /// <summary>The committed rendering, relative to the clone's root.</summary>
    public required string PreRenderedPath { get; init; }

    /// <summary>The committed rendering's name inside the tool (an embedded resource, see Ingress.Cli.csproj).</summary>
    public required string EmbeddedName { get; init; }

    /// <summary>The first lines of the committed rendering (kubectl's output follows them unchanged).</summary>
    public required string PreRenderedHeader { get; init; }

    /// <summary>
    /// The gateway's <c>--label</c> values: none for Istio's default ingress gateway (<c>istio=ingressgateway</c>); for
    /// the Gateway API the label Istio puts on the pods of the Gateway <c>httpsserver</c>, which attaches the policies
    /// that name it and gives the gateway that Gateway's mesh identity.
    /// </summary>
    public IReadOnlyList<string> GatewayLabels { get; init; } = [];

    /// <summary>The gateway's service name in traces, as Istio names that gateway's spans.</summary>
    public required string GatewayServiceName { get; init; }

    /// <summary>Whether the routes address each release track by a Service of its own (httpserver-v1, httpserver-v2).</summary>
    public bool TrackServices { get; init; }

    /// <summary>Istio's Gateway and VirtualService: the default.</summary>
    public static LocalEdge Istio { get; } = new()
    {
        Name = "istio",
        OverlayPath = "deploy/overlays/local",
        PreRenderedPath = "deploy/rendered/local.yaml",
        EmbeddedName = "local-overlay.yaml",
        PreRenderedHeader =
            "# GENERATED from deploy/overlays/local by `kubectl kustomize`: do not edit. `ingress up` reads this copy only\n" +
            "# when kubectl is not installed. Refresh it after changing the kit:\n" +
            "#   INGRESS_UPDATE_RENDERED=1 dotnet test tests/Ingress.Cli.Tests --filter Pre_rendered_local_overlay\n",
        GatewayServiceName = "istio-ingressgateway.istio-system",
    };

    /// <summary>The Kubernetes Gateway API's Gateway and HTTPRoutes.</summary>
    public static LocalEdge GatewayApi { get; } = new()
    {
        Name = "gateway-api",
        OverlayPath = "deploy/overlays/gateway-api/local",
        PreRenderedPath = "deploy/rendered/gateway-api-local.yaml",
        EmbeddedName = "gateway-api-local-overlay.yaml",
        PreRenderedHeader =
            "# GENERATED from deploy/overlays/gateway-api/local by `kubectl kustomize`: do not edit. `ingress up --api gateway-api`\n" +
            "# reads this copy only when kubectl is not installed. Refresh it after changing the kit:\n" +
            "#   INGRESS_UPDATE_RENDERED=1 dotnet test tests/Ingress.Cli.Tests --filter Pre_rendered_local_overlay\n",
        GatewayLabels = ["gateway.networking.k8s.io/gateway-name=httpsserver"],
        GatewayServiceName = "httpsserver-istio.istio-system",
        TrackServices = true,
    };

    /// <summary>The <c>--api</c> values.</summary>
    public static IReadOnlyList<LocalEdge> All { get; } = [Istio, GatewayApi];

    /// <summary>The edge named <paramref name="name"/> (an <c>--api</c> value).</summary>
    public static LocalEdge Named(string name) =>
        All.FirstOrDefault(e => e.Name == name) ?? throw new ArgumentException($"unknown API '{name}'", nameof(name));
}

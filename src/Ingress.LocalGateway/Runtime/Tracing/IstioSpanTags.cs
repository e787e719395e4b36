namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// The tags that describe the proxy itself on every server span: Envoy's <c>node_id</c> and <c>zone</c>, and the ones
/// Istio adds for the workload (<c>tracing.go: buildServiceTags</c>), with the values a gateway pod would have.
/// </summary>
internal sealed class IstioSpanTags
{
    public IstioSpanTags(string gatewayNamespace, IReadOnlyDictionary<string, string> labels)
    {
        Namespace = gatewayNamespace;
        // Istio's node id: <type>~<pod IP>~<pod name>.<namespace>~<namespace>.svc.cluster.local.
        NodeId = $"router~127.0.0.1~istio-ingressgateway-local.{gatewayNamespace}~{gatewayNamespace}.svc.cluster.local";
        CanonicalService = First(labels, "service.istio.io/canonical-name", "app.kubernetes.io/name", "app") ?? "istio-ingressgateway";
        CanonicalRevision = First(labels, "service.istio.io/canonical-revision", "app.kubernetes.io/version", "version") ?? "latest";
    }

    public string NodeId { get; }
    public string Namespace { get; }
    public string CanonicalService { get; }
    public string CanonicalRevision { get; }

    /// <summary>Istio's default mesh id and cluster id.</summary>
    public const string MeshId = "cluster.local";

    public const string ClusterId = "Kubernetes";

    private static string? First(IReadOnlyDictionary<string, string> labels, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (labels.TryGetValue(key, out var value) && value.Length > 0)
            {
                return value;
            }
        }

        return null;
    }
}

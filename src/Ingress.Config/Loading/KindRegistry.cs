using Ingress.Config.Model;

namespace Ingress.Config.Loading;

/// <summary>One kind the loader models: its API group, the versions served, the model type and its scope.</summary>
public sealed record KindInfo(string Group, string Kind, IReadOnlyList<string> Versions, Type ModelType, bool ClusterScoped)
{
    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";
}

/// <summary>Maps <c>apiVersion</c> + <c>kind</c> to the model type, as the Kubernetes API server serves them.</summary>
public static class KindRegistry
{
    private static readonly string[] IstioNetworking = ["v1", "v1beta1", "v1alpha3"];
    private static readonly string[] IstioSecurity = ["v1", "v1beta1"];
    private static readonly string[] IstioTelemetry = ["v1", "v1alpha1"];
    private static readonly string[] V1 = ["v1"];
    private static readonly string[] GatewayApiV1Beta1 = ["v1", "v1beta1"];

    /// <summary>Every kind the loader reads.</summary>
    public static IReadOnlyList<KindInfo> All { get; } =
    [
        new("networking.istio.io", "Gateway", IstioNetworking, typeof(Gateway), false),
        new("networking.istio.io", "VirtualService", IstioNetworking, typeof(VirtualService), false),
        new("networking.istio.io", "DestinationRule", IstioNetworking, typeof(DestinationRule), false),
        new("security.istio.io", "PeerAuthentication", IstioSecurity, typeof(PeerAuthentication), false),
        new("security.istio.io", "AuthorizationPolicy", IstioSecurity, typeof(AuthorizationPolicy), false),
        new("security.istio.io", "RequestAuthentication", IstioSecurity, typeof(RequestAuthentication), false),
        new("telemetry.istio.io", "Telemetry", IstioTelemetry, typeof(Telemetry), false),
        new("", "Namespace", V1, typeof(Model.Namespace), true),
        new("", "Service", V1, typeof(Service), false),
        new("", "Secret", V1, typeof(Secret), false),
        new("", "ServiceAccount", V1, typeof(ServiceAccount), false),
        new("", "ConfigMap", V1, typeof(ConfigMap), false),
        new("apps", "Deployment", V1, typeof(Deployment), false),
        new("", "Pod", V1, typeof(Pod), false),
        new("cert-manager.io", "Issuer", V1, typeof(Issuer), false),
        new("cert-manager.io", "ClusterIssuer", V1, typeof(ClusterIssuer), true),
        new("cert-manager.io", "Certificate", V1, typeof(Certificate), false),
        new(GatewayApiPatterns.ApiGroup, "GatewayClass", GatewayApiV1Beta1, typeof(GatewayClass), true),
        new(GatewayApiPatterns.ApiGroup, "Gateway", GatewayApiV1Beta1, typeof(KubernetesGateway), false),
        new(GatewayApiPatterns.ApiGroup, "HTTPRoute", GatewayApiV1Beta1, typeof(KubernetesHttpRoute), false),
        new(GatewayApiPatterns.ApiGroup, "GRPCRoute", V1, typeof(KubernetesGrpcRoute), false),
        new(GatewayApiPatterns.ApiGroup, "ReferenceGrant", GatewayApiV1Beta1, typeof(ReferenceGrant), false),
        new(GatewayApiPatterns.ApiGroup, "BackendTLSPolicy", V1, typeof(BackendTlsPolicy), false),
    ];

    private static readonly Dictionary<(string Group, string Kind), KindInfo> ByGroupKind =
        All.ToDictionary(k => (k.Group, k.Kind));

    /// <summary>The kind for an API group and kind name, whatever the version, or null when it is not modelled.</summary>
    public static KindInfo? Find(string group, string kind) =>
        ByGroupKind.TryGetValue((group, kind), out var info) ? info : null;

    /// <summary>The kind of a model type.</summary>
    public static KindInfo? ForType(Type type) => All.FirstOrDefault(k => k.ModelType == type);

    /// <summary>Splits <c>group/version</c> (the core group has no slash).</summary>
    public static (string Group, string Version) Split(string apiVersion)
    {
        var slash = apiVersion.LastIndexOf('/');
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}

namespace Ingress.Config.Model;

/// <summary>gateway.networking.k8s.io GRPCRoute: gRPC routing by service and method, attached to Gateway listeners.</summary>
public sealed record KubernetesGrpcRoute : RouteResource
{
    public KubernetesGrpcRouteSpec Spec { get; init; } = new();

    /// <inheritdoc />
    public override RouteSpec Common => Spec;
}

/// <summary>The spec of a <see cref="KubernetesGrpcRoute"/>.</summary>
public sealed record KubernetesGrpcRouteSpec : RouteSpec
{
    [MaxItems(16)]
    [Cel(CelRuleNames.GrpcRouteMatchesAtMost128)]
    public IReadOnlyList<GrpcRouteRule> Rules { get; init; } = [];
}

/// <summary>One gRPC rule: its matches (OR-ed; none matches every request), filters and backends.</summary>
public sealed record GrpcRouteRule
{
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.SectionName)]
    public string? Name { get; init; }

    [MaxItems(64)]
    public IReadOnlyList<GrpcRouteMatch> Matches { get; init; } = [];

    [MaxItems(16)]
    [Cel(CelRuleNames.FilterNotRepeated + "RequestHeaderModifier")]
    [Cel(CelRuleNames.FilterNotRepeated + "ResponseHeaderModifier")]
    public IReadOnlyList<GrpcRouteFilter> Filters { get; init; } = [];

    [MaxItems(16)]
    public IReadOnlyList<GrpcBackendRef> BackendRefs { get; init; } = [];
}

/// <summary>The conditions of one gRPC match, ANDed: the method and headers.</summary>
public sealed record GrpcRouteMatch
{
    public GrpcMethodMatch? Method { get; init; }
    [MaxItems(16)]
    [ListType("map", "name")]
    public IReadOnlyList<HttpHeaderMatch> Headers { get; init; } = [];
}

/// <summary>A gRPC service and/or method, matched exactly or as regular expressions.</summary>
[Cel(CelRuleNames.GrpcServiceOrMethod)]
[Cel(CelRuleNames.GrpcServiceCharacters)]
[Cel(CelRuleNames.GrpcMethodCharacters)]
public sealed record GrpcMethodMatch
{
    [OneOf("Exact", "RegularExpression")]
    public string? Type { get; init; } = "Exact";
    [MaxLength(1024)]
    public string? Service { get; init; }
    [MaxLength(1024)]
    public string? Method { get; init; }
}

/// <summary>One filter of a gRPC rule or backend: header modifiers, a mirror, or an extension.</summary>
[Cel(CelRuleNames.FilterFieldOnlyForType + "requestHeaderModifier:RequestHeaderModifier")]
[Cel(CelRuleNames.FilterFieldForType + "requestHeaderModifier:RequestHeaderModifier")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "responseHeaderModifier:ResponseHeaderModifier")]
[Cel(CelRuleNames.FilterFieldForType + "responseHeaderModifier:ResponseHeaderModifier")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "requestMirror:RequestMirror")]
[Cel(CelRuleNames.FilterFieldForType + "requestMirror:RequestMirror")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "extensionRef:ExtensionRef")]
[Cel(CelRuleNames.FilterFieldForType + "extensionRef:ExtensionRef")]
public sealed record GrpcRouteFilter
{
    [Required]
    [OneOf("ResponseHeaderModifier", "RequestHeaderModifier", "RequestMirror", "ExtensionRef")]
    public string? Type { get; init; }
    public HttpHeaderFilter? RequestHeaderModifier { get; init; }
    public HttpHeaderFilter? ResponseHeaderModifier { get; init; }
    public HttpRequestMirrorFilter? RequestMirror { get; init; }
    public LocalObjectReference? ExtensionRef { get; init; }
}

/// <summary>A weighted backend of a gRPC rule, with filters of its own.</summary>
public sealed record GrpcBackendRef : BackendRef
{
    [MaxItems(16)]
    [Cel(CelRuleNames.FilterNotRepeated + "RequestHeaderModifier")]
    [Cel(CelRuleNames.FilterNotRepeated + "ResponseHeaderModifier")]
    public IReadOnlyList<GrpcRouteFilter> Filters { get; init; } = [];
}

namespace Ingress.Config.Model;

/// <summary>
/// gateway.networking.k8s.io HTTPRoute: HTTP routing rules attached to Gateway listeners. Named so to tell it from a
/// VirtualService's <see cref="HttpRoute"/> rule.
/// </summary>
public sealed record KubernetesHttpRoute : RouteResource
{
    public KubernetesHttpRouteSpec Spec { get; init; } = new();

    /// <inheritdoc />
    public override RouteSpec Common => Spec;
}

/// <summary>The spec of a <see cref="KubernetesHttpRoute"/>.</summary>
public sealed record KubernetesHttpRouteSpec : RouteSpec
{
    [MinItems(1)]
    [MaxItems(16)]
    [Cel(CelRuleNames.HttpRouteMatchesAtMost128)]
    public IReadOnlyList<HttpRouteRule> Rules { get; init; } = [new HttpRouteRule()];
}

/// <summary>One rule: its matches (OR-ed), filters, backends and timeouts.</summary>
[Cel(CelRuleNames.RedirectWithoutBackends)]
[Cel(CelRuleNames.RedirectPrefixNeedsOnePrefixMatch)]
[Cel(CelRuleNames.RewritePrefixNeedsOnePrefixMatch)]
[Cel(CelRuleNames.BackendRedirectPrefixNeedsOnePrefixMatch)]
[Cel(CelRuleNames.BackendRewritePrefixNeedsOnePrefixMatch)]
public sealed record HttpRouteRule
{
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.SectionName)]
    public string? Name { get; init; }

    [MaxItems(64)]
    public IReadOnlyList<HttpRouteMatch> Matches { get; init; } = [new HttpRouteMatch()];

    [MaxItems(16)]
    [Cel(CelRuleNames.RedirectOrRewrite)]
    [Cel(CelRuleNames.FilterNotRepeated + "CORS")]
    [Cel(CelRuleNames.FilterNotRepeated + "RequestHeaderModifier")]
    [Cel(CelRuleNames.FilterNotRepeated + "ResponseHeaderModifier")]
    [Cel(CelRuleNames.FilterNotRepeated + "RequestRedirect")]
    [Cel(CelRuleNames.FilterNotRepeated + "URLRewrite")]
    public IReadOnlyList<HttpRouteFilter> Filters { get; init; } = [];

    [MaxItems(16)]
    public IReadOnlyList<HttpBackendRef> BackendRefs { get; init; } = [];

    [Cel(CelRuleNames.BackendTimeoutWithinRequestTimeout)]
    public HttpRouteTimeouts? Timeouts { get; init; }
}

/// <summary>The conditions of one match, ANDed: path (PathPrefix <c>/</c> by default), headers, query, method.</summary>
public sealed record HttpRouteMatch
{
    public HttpPathMatch? Path { get; init; } = new();
    [MaxItems(16)]
    [ListType("map", "name")]
    public IReadOnlyList<HttpHeaderMatch> Headers { get; init; } = [];
    [MaxItems(16)]
    [ListType("map", "name")]
    public IReadOnlyList<HttpQueryParamMatch> QueryParams { get; init; } = [];
    [OneOf("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")]
    public string? Method { get; init; }
}

/// <summary>A path match: Exact, PathPrefix (by path segment) or RegularExpression.</summary>
[Cel(CelRuleNames.PathAbsolute)]
[Cel(CelRuleNames.PathNoDoubleSlash)]
[Cel(CelRuleNames.PathNoDotSegment)]
[Cel(CelRuleNames.PathNoDotDotSegment)]
[Cel(CelRuleNames.PathNoEncodedSlashLower)]
[Cel(CelRuleNames.PathNoEncodedSlashUpper)]
[Cel(CelRuleNames.PathNoFragment)]
[Cel(CelRuleNames.PathNoTrailingDotDot)]
[Cel(CelRuleNames.PathNoTrailingDot)]
[Cel(CelRuleNames.PathTypeKnown)]
[Cel(CelRuleNames.PathCharacters)]
public sealed record HttpPathMatch
{
    [OneOf("Exact", "PathPrefix", "RegularExpression")]
    public string? Type { get; init; } = "PathPrefix";
    [MaxLength(1024)]
    public string? Value { get; init; } = "/";
}

/// <summary>A query parameter match: exact by default, or a regular expression.</summary>
public sealed record HttpQueryParamMatch
{
    [Required]
    [MinLength(1)]
    [MaxLength(256)]
    [Pattern(GatewayApiPatterns.HeaderName)]
    public string? Name { get; init; }
    [OneOf("Exact", "RegularExpression")]
    public string? Type { get; init; } = "Exact";
    [Required]
    [MinLength(1)]
    [MaxLength(1024)]
    public string? Value { get; init; }
}

/// <summary>One filter of a rule or of a backend; <see cref="Type"/> says which of the other fields is set.</summary>
[Cel(CelRuleNames.FilterFieldOnlyForType + "cors:CORS")]
[Cel(CelRuleNames.FilterFieldForType + "cors:CORS")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "requestHeaderModifier:RequestHeaderModifier")]
[Cel(CelRuleNames.FilterFieldForType + "requestHeaderModifier:RequestHeaderModifier")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "responseHeaderModifier:ResponseHeaderModifier")]
[Cel(CelRuleNames.FilterFieldForType + "responseHeaderModifier:ResponseHeaderModifier")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "requestMirror:RequestMirror")]
[Cel(CelRuleNames.FilterFieldForType + "requestMirror:RequestMirror")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "requestRedirect:RequestRedirect")]
[Cel(CelRuleNames.FilterFieldForType + "requestRedirect:RequestRedirect")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "urlRewrite:URLRewrite")]
[Cel(CelRuleNames.FilterFieldForType + "urlRewrite:URLRewrite")]
[Cel(CelRuleNames.FilterFieldOnlyForType + "extensionRef:ExtensionRef")]
[Cel(CelRuleNames.FilterFieldForType + "extensionRef:ExtensionRef")]
public sealed record HttpRouteFilter
{
    [Required]
    [OneOf("RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect", "URLRewrite", "ExtensionRef", "CORS")]
    public string? Type { get; init; }
    public HttpHeaderFilter? RequestHeaderModifier { get; init; }
    public HttpHeaderFilter? ResponseHeaderModifier { get; init; }
    public HttpRequestMirrorFilter? RequestMirror { get; init; }
    public HttpRequestRedirectFilter? RequestRedirect { get; init; }
    public HttpUrlRewriteFilter? UrlRewrite { get; init; }
    public HttpCorsFilter? Cors { get; init; }
    public LocalObjectReference? ExtensionRef { get; init; }
}

/// <summary>The RequestRedirect filter: answer with a redirect (302 unless another code is given).</summary>
public sealed record HttpRequestRedirectFilter
{
    [OneOf("http", "https")]
    public string? Scheme { get; init; }
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.PreciseHostname)]
    public string? Hostname { get; init; }
    public HttpPathModifier? Path { get; init; }
    [Range(1, 65535)]
    public int? Port { get; init; }
    [OneOf("301", "302", "303", "307", "308")]
    public int? StatusCode { get; init; } = 302;
}

/// <summary>The URLRewrite filter: rewrite the hostname and/or the path before forwarding.</summary>
public sealed record HttpUrlRewriteFilter
{
    [MinLength(1)]
    [MaxLength(253)]
    [Pattern(GatewayApiPatterns.PreciseHostname)]
    public string? Hostname { get; init; }
    public HttpPathModifier? Path { get; init; }
}

/// <summary>How a redirect or rewrite changes the path: the whole of it, or the part the PathPrefix match took.</summary>
[Cel(CelRuleNames.FullPathWhenTyped)]
[Cel(CelRuleNames.FullPathTypeWhenSet)]
[Cel(CelRuleNames.PrefixMatchWhenTyped)]
[Cel(CelRuleNames.PrefixMatchTypeWhenSet)]
public sealed record HttpPathModifier
{
    [Required]
    [OneOf("ReplaceFullPath", "ReplacePrefixMatch")]
    public string? Type { get; init; }
    [MaxLength(1024)]
    public string? ReplaceFullPath { get; init; }
    [MaxLength(1024)]
    public string? ReplacePrefixMatch { get; init; }
}

/// <summary>The CORS filter (extended): the cross-origin requests a route answers for.</summary>
public sealed record HttpCorsFilter
{
    [MaxItems(64)]
    [ListType("set")]
    [Cel(CelRuleNames.AllowOriginsWildcardAlone)]
    [MinLength(1, Each = true)]
    [MaxLength(253, Each = true)]
    [Pattern(@"(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)", Each = true)]
    public IReadOnlyList<string> AllowOrigins { get; init; } = [];
    public bool? AllowCredentials { get; init; }
    [MaxItems(9)]
    [ListType("set")]
    [Cel(CelRuleNames.AllowMethodsWildcardAlone)]
    [OneOf("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*", Each = true)]
    public IReadOnlyList<string> AllowMethods { get; init; } = [];
    [MaxItems(64)]
    [ListType("set")]
    [Cel(CelRuleNames.AllowHeadersWildcardAlone)]
    [MinLength(1, Each = true)]
    [MaxLength(256, Each = true)]
    [Pattern(GatewayApiPatterns.HeaderName, Each = true)]
    public IReadOnlyList<string> AllowHeaders { get; init; } = [];
    [MaxItems(64)]
    [ListType("set")]
    [MinLength(1, Each = true)]
    [MaxLength(256, Each = true)]
    [Pattern(GatewayApiPatterns.HeaderName, Each = true)]
    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];
    [Minimum(1)]
    public int? MaxAge { get; init; } = 5;
}

/// <summary>A weighted backend of a rule, with filters of its own.</summary>
public sealed record HttpBackendRef : BackendRef
{
    [MaxItems(16)]
    [Cel(CelRuleNames.RedirectOrRewrite)]
    [Cel(CelRuleNames.FilterNotRepeated + "CORS")]
    [Cel(CelRuleNames.FilterNotRepeated + "RequestHeaderModifier")]
    [Cel(CelRuleNames.FilterNotRepeated + "ResponseHeaderModifier")]
    [Cel(CelRuleNames.FilterNotRepeated + "RequestRedirect")]
    [Cel(CelRuleNames.FilterNotRepeated + "URLRewrite")]
    public IReadOnlyList<HttpRouteFilter> Filters { get; init; } = [];
}

/// <summary>A rule's timeouts: the whole request, and each request to a backend.</summary>
public sealed record HttpRouteTimeouts
{
    [Pattern(GatewayApiPatterns.Duration)]
    public string? Request { get; init; }
    [Pattern(GatewayApiPatterns.Duration)]
    public string? BackendRequest { get; init; }
}

namespace Ingress.Config.Model;

// The names of the Gateway API CRDs' CEL rules (implemented in Schema/CelRules.GatewayApi.cs).
public static partial class CelRuleNames
{
    public const string Immutable = "gwapi-immutable";
    public const string TlsNotForPlainProtocols = "gwapi-listener-tls-not-for-plain-protocols";
    public const string HttpsTlsModeTerminate = "gwapi-listener-https-terminates";
    public const string TlsProtocolNeedsMode = "gwapi-listener-tls-protocol-needs-mode";
    public const string NoHostnameForTcpUdp = "gwapi-listener-no-hostname-for-tcp-udp";
    public const string ListenerNamesUnique = "gwapi-listener-names-unique";
    public const string ListenerPortProtocolHostnameUnique = "gwapi-listener-port-protocol-hostname-unique";
    public const string TerminateNeedsCertificates = "gwapi-terminate-needs-certificates";
    public const string ParentSectionNameWhenRepeated = "gwapi-parent-section-name-when-repeated";
    public const string ParentSectionNameUnique = "gwapi-parent-section-name-unique";
    public const string HttpRouteMatchesAtMost128 = "gwapi-httproute-matches-at-most-128";
    public const string GrpcRouteMatchesAtMost128 = "gwapi-grpcroute-matches-at-most-128";
    public const string RedirectWithoutBackends = "gwapi-redirect-without-backends";
    public const string RedirectPrefixNeedsOnePrefixMatch = "gwapi-redirect-prefix-needs-one-prefix-match";
    public const string RewritePrefixNeedsOnePrefixMatch = "gwapi-rewrite-prefix-needs-one-prefix-match";
    public const string BackendRedirectPrefixNeedsOnePrefixMatch = "gwapi-backend-redirect-prefix-needs-one-prefix-match";
    public const string BackendRewritePrefixNeedsOnePrefixMatch = "gwapi-backend-rewrite-prefix-needs-one-prefix-match";
    public const string ServiceReferenceNeedsPort = "gwapi-service-reference-needs-port";
    public const string RedirectOrRewrite = "gwapi-redirect-or-rewrite";

    /// <summary>Followed by a filter type: that filter appears at most once in the list.</summary>
    public const string FilterNotRepeated = "gwapi-filter-not-repeated:";

    /// <summary>Followed by <c>field:Type</c>: the field is set only on filters of that type.</summary>
    public const string FilterFieldOnlyForType = "gwapi-filter-field-only-for-type:";

    /// <summary>Followed by <c>field:Type</c>: a filter of that type sets the field.</summary>
    public const string FilterFieldForType = "gwapi-filter-field-for-type:";

    public const string AllowOriginsWildcardAlone = "gwapi-cors-origins-wildcard-alone";
    public const string AllowMethodsWildcardAlone = "gwapi-cors-methods-wildcard-alone";
    public const string AllowHeadersWildcardAlone = "gwapi-cors-headers-wildcard-alone";
    public const string MirrorPercentOrFraction = "gwapi-mirror-percent-or-fraction";
    public const string FractionAtMostOne = "gwapi-fraction-at-most-one";
    public const string FullPathWhenTyped = "gwapi-path-modifier-full-path-when-typed";
    public const string FullPathTypeWhenSet = "gwapi-path-modifier-full-path-type-when-set";
    public const string PrefixMatchWhenTyped = "gwapi-path-modifier-prefix-when-typed";
    public const string PrefixMatchTypeWhenSet = "gwapi-path-modifier-prefix-type-when-set";
    public const string PathAbsolute = "gwapi-path-absolute";
    public const string PathNoDoubleSlash = "gwapi-path-no-double-slash";
    public const string PathNoDotSegment = "gwapi-path-no-dot-segment";
    public const string PathNoDotDotSegment = "gwapi-path-no-dot-dot-segment";
    public const string PathNoEncodedSlashLower = "gwapi-path-no-encoded-slash-lower";
    public const string PathNoEncodedSlashUpper = "gwapi-path-no-encoded-slash-upper";
    public const string PathNoFragment = "gwapi-path-no-fragment";
    public const string PathNoTrailingDotDot = "gwapi-path-no-trailing-dot-dot";
    public const string PathNoTrailingDot = "gwapi-path-no-trailing-dot";
    public const string PathTypeKnown = "gwapi-path-type-known";
    public const string PathCharacters = "gwapi-path-characters";
    public const string BackendTimeoutWithinRequestTimeout = "gwapi-backend-timeout-within-request-timeout";
    public const string GrpcServiceOrMethod = "gwapi-grpc-service-or-method";
    public const string GrpcServiceCharacters = "gwapi-grpc-service-characters";
    public const string GrpcMethodCharacters = "gwapi-grpc-method-characters";
    public const string TargetSectionNameWhenRepeated = "gwapi-target-section-name-when-repeated";
    public const string TargetSectionNameUnique = "gwapi-target-section-name-unique";
    public const string CaRefsOrWellKnownNotBoth = "gwapi-ca-refs-or-well-known-not-both";
    public const string CaRefsOrWellKnown = "gwapi-ca-refs-or-well-known";
    public const string SanHostnameForHostnameType = "gwapi-san-hostname-for-hostname-type";
    public const string SanHostnameOnlyForHostnameType = "gwapi-san-hostname-only-for-hostname-type";
    public const string SanUriForUriType = "gwapi-san-uri-for-uri-type";
    public const string SanUriOnlyForUriType = "gwapi-san-uri-only-for-uri-type";
}

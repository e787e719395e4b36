namespace Ingress.LocalGateway.Snapshot;

/// <summary>
/// Istio's MeshConfig <c>pathNormalization.normalization</c>: how the path of every request is normalized once, before
/// routing, authentication and authorization, and sent upstream as normalized. Istio maps it to Envoy's connection
/// manager (<c>pilot/pkg/networking/core/listener_builder.go</c>, "Setup normalization"); <c>DEFAULT</c> is
/// <see cref="Base"/>.
/// </summary>
public enum PathNormalization
{
    /// <summary>Envoy <c>normalize_path: false</c>: only a fragment is cut off; the path is forwarded as received.</summary>
    None,

    /// <summary>
    /// Envoy <c>normalize_path: true</c> (RFC 3986 canonicalization): unreserved escapes decoded, <c>.</c>/<c>..</c>
    /// resolved, backslashes made slashes, unsafe characters escaped, <c>%00</c> refused; <c>//</c> and escaped slashes
    /// kept.
    /// </summary>
    Base,

    /// <summary><see cref="Base"/>, then repeated slashes merged (Envoy <c>merge_slashes: true</c>).</summary>
    MergeSlashes,

    /// <summary>
    /// <c>%2F</c> and <c>%5C</c> decoded first (Envoy <c>UNESCAPE_AND_FORWARD</c>), then <see cref="MergeSlashes"/>.
    /// </summary>
    DecodeAndMergeSlashes,
}

/// <summary>The MeshConfig spelling of <see cref="PathNormalization"/>.</summary>
public static class PathNormalizationNames
{
    /// <summary>MeshConfig's name of a path normalization (<c>BASE</c>, <c>NONE</c>, …).</summary>
    public static string MeshConfigName(this PathNormalization mode) => mode switch
    {
        PathNormalization.None => "NONE",
        PathNormalization.MergeSlashes => "MERGE_SLASHES",
        PathNormalization.DecodeAndMergeSlashes => "DECODE_AND_MERGE_SLASHES",
        _ => "BASE",
    };
}

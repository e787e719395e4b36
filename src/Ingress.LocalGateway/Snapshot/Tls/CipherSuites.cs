using System.Net.Security;

namespace Ingress.LocalGateway.Snapshot.Tls;

/// <summary>Maps Envoy's (OpenSSL-style) cipher suite names to .NET's TLS 1.2 suites.</summary>
public static class CipherSuites
{
    private static readonly Dictionary<string, TlsCipherSuite> Known = new(StringComparer.Ordinal)
    {
        ["ECDHE-ECDSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-RSA-AES128-GCM-SHA256"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ["ECDHE-ECDSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-RSA-AES256-GCM-SHA384"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ["ECDHE-ECDSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-RSA-CHACHA20-POLY1305"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ["ECDHE-ECDSA-AES128-SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        ["ECDHE-RSA-AES128-SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        ["ECDHE-ECDSA-AES256-SHA"] = TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        ["ECDHE-RSA-AES256-SHA"] = TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        ["AES128-GCM-SHA256"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        ["AES256-GCM-SHA384"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        ["AES128-SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        ["AES256-SHA"] = TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    };

    // TLS 1.3 suites are not configurable in Envoy; they are always offered.
    private static readonly TlsCipherSuite[] Tls13 =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// What Istio's gateway offers under TLS 1.2 when a server sets no <c>cipherSuites</c> (the same six ECDHE
    /// AEAD suites as Envoy's server default): no CBC suite (LUCKY13) and no static-RSA key exchange. Without it
    /// the gateway would offer OpenSSL's default list, CBC suites included.
    /// </summary>
    public static readonly IReadOnlyList<string> IstioDefault =
    [
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ];

    /// <summary>The policy for <see cref="IstioDefault"/> (TLS 1.3 suites included), shared by every server without <c>cipherSuites</c>.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static CipherSuitesPolicy DefaultPolicy => LazyDefault.Value;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static readonly Lazy<CipherSuitesPolicy> LazyDefault = new(() => PolicyFor(IstioDefault, out _)!);

    /// <summary>
    /// The policy for the named suites; unknown names are returned in <paramref name="unknown"/> and left out, as
    /// Istio filters them. Null when no known suite remains (the defaults apply).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static CipherSuitesPolicy? PolicyFor(IReadOnlyList<string> names, out IReadOnlyList<string> unknown)
    {
        var suites = new List<TlsCipherSuite>(Tls13);
        var bad = new List<string>();
        foreach (var name in names)
        {
            if (Known.TryGetValue(name.Trim(), out var suite))
            {
                suites.Add(suite);
            }
            else
            {
                bad.Add(name);
            }
        }

        unknown = bad;
        return suites.Count == Tls13.Length ? null : new CipherSuitesPolicy(suites);
    }
}

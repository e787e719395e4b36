using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ingress.LocalGateway.Snapshot.Upstreams;

/// <summary>How a cluster spreads requests over its endpoints (Envoy's <c>lb_policy</c>).</summary>
public enum LoadBalancerKind
{
    /// <summary>Envoy LEAST_REQUEST with two random choices: Istio's default when nothing is set.</summary>
    LeastRequest,
    RoundRobin,
    Random,
}

/// <summary>
/// Everything a DestinationRule says about one cluster, after Istio's merge of the top-level, subset and port-level
/// policies, with Envoy's defaults filled in. Immutable; its <see cref="Fingerprint"/> tells whether two compiles of
/// a cluster mean the same upstream behaviour (then the running state is kept across a reload).
/// </summary>
public sealed record UpstreamPolicy
{
    /// <summary>No DestinationRule policy: LEAST_REQUEST, Istio's unlimited circuit breakers, no outlier detection, plaintext.</summary>
    public static UpstreamPolicy Default { get; } = new();

    public LoadBalancerKind LoadBalancer { get; init; } = LoadBalancerKind.LeastRequest;
    public ConnectionLimits Limits { get; init; } = ConnectionLimits.Unlimited;

    /// <summary>Outlier detection, or null when the policy has none (Envoy then never ejects).</summary>
    public OutlierSettings? Outlier { get; init; }

    /// <summary>TLS toward the endpoints, or null for plaintext.</summary>
    public UpstreamTlsSettings? Tls { get; init; }

    /// <summary>Where the policy came from (<c>DestinationRule ns/name spec.subsets[0].trafficPolicy</c>), for the config dump.</summary>
    public string? Source { get; init; }

    /// <summary>A text that is equal for two policies exactly when they behave the same.</summary>
    public string Fingerprint
    {
        get
        {
            var text = new StringBuilder();
            text.Append(LoadBalancer).Append('|').Append(Limits).Append('|').Append(Outlier?.ToString() ?? "-").Append('|');
            if (Tls is { } tls)
            {
                text.Append(tls.Mode).Append(',').Append(tls.Sni).Append(',').Append(string.Join(' ', tls.SubjectAltNames))
                    .Append(',').Append(tls.InsecureSkipVerify).Append(',').Append(tls.ClientCertificate?.Thumbprint)
                    .Append(',').Append(string.Join(' ', (tls.CaCertificates ?? []).Select(c => c.Thumbprint)))
                    .Append(',').Append(tls.Failure);
            }

            return text.ToString();
        }
    }
}

/// <summary>
/// Envoy's circuit breakers and connection settings for a cluster, from <c>connectionPool</c>. Istio sets every
/// threshold it does not get to 2^32-1, so an absent field means no limit.
/// </summary>
public sealed record ConnectionLimits
{
    /// <summary>Envoy's and Istio's value for "no limit".</summary>
    public const long NoLimit = uint.MaxValue;

    /// <summary>No limits, Istio's 10 s connect timeout and Envoy's 1 h idle timeout.</summary>
    public static ConnectionLimits Unlimited { get; } = new();

    /// <summary><c>tcp.maxConnections</c>: connections to the cluster; an HTTP/1.1 connection carries one request at a time.</summary>
    public long MaxConnections { get; init; } = NoLimit;

    /// <summary><c>http.http1MaxPendingRequests</c>: requests waiting for a connection.</summary>
    public long MaxPendingRequests { get; init; } = NoLimit;

    /// <summary><c>http.http2MaxRequests</c>: requests in flight to the cluster.</summary>
    public long MaxRequests { get; init; } = NoLimit;

    /// <summary><c>http.maxRetries</c>: retries in flight to the cluster at once.</summary>
    public long MaxRetries { get; init; } = NoLimit;

    /// <summary><c>http.maxRequestsPerConnection</c>; 0 means unlimited, 1 closes every connection after its request.</summary>
    public int MaxRequestsPerConnection { get; init; }

    /// <summary><c>tcp.connectTimeout</c> (Istio's default 10 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>http.idleTimeout</c> (Envoy's default 1 h).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>tcp.maxConnectionDuration</c>, or null for none.</summary>
    public TimeSpan? MaxConnectionDuration { get; init; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"cx={MaxConnections} pending={MaxPendingRequests} rq={MaxRequests} retries={MaxRetries} perCx={MaxRequestsPerConnection} connect={ConnectTimeout} idle={IdleTimeout} life={MaxConnectionDuration}");
}

/// <summary>
/// Envoy's outlier detection as Istio configures it: consecutive 5xx and consecutive gateway errors, ejection for
/// <c>baseEjectionTime × ejections</c> (capped), at most <see cref="MaxEjectionPercent"/> of the endpoints, and a
/// panic threshold of <see cref="MinHealthPercent"/> (Istio's default 0: never panic).
/// </summary>
public sealed record OutlierSettings
{
    /// <summary>Consecutive 5xx (and local-origin failures) before ejection; Envoy's default 5.</summary>
    public int Consecutive5xx { get; init; } = 5;

    /// <summary>Whether consecutive 5xx ejects (Envoy enforces it unless Istio was given 0).</summary>
    public bool Enforce5xx { get; init; } = true;

    /// <summary>Consecutive 502/503/504 (and local-origin failures) before ejection; Envoy's default 5.</summary>
    public int ConsecutiveGatewayErrors { get; init; } = 5;

    /// <summary>Envoy does not enforce gateway-error ejection unless Istio was given a positive count.</summary>
    public bool EnforceGatewayErrors { get; init; }

    /// <summary>Time between ejection sweeps (Envoy's default 10 s); ejected endpoints return at a sweep.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Envoy's default 30 s; the real ejection is this times the endpoint's ejection count.</summary>
    public TimeSpan BaseEjectionTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Envoy's default 300 s, or the base time when Istio is given a longer one.</summary>
    public TimeSpan MaxEjectionTime { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Envoy's default 10 %: no new ejection once this share of the endpoints is ejected.</summary>
    public int MaxEjectionPercent { get; init; } = 10;

    /// <summary>Envoy's healthy panic threshold; Istio sets 0 (no panic) unless told.</summary>
    public int MinHealthPercent { get; init; }
}

/// <summary>The kind of TLS a cluster originates.</summary>
public enum UpstreamTlsMode
{
    Simple,
    Mutual,
}

/// <summary>
/// TLS toward a cluster's endpoints from <c>trafficPolicy.tls</c>: trust, client certificate, SNI and the names the
/// server certificate must carry. <see cref="Failure"/> is set when the certificates could not be read: the
/// cluster's connections then fail as Envoy's do when its SDS secret is missing.
/// </summary>
public sealed record UpstreamTlsSettings
{
    public required UpstreamTlsMode Mode { get; init; }

    /// <summary>Roots that the server certificate must chain to, or null for the system's roots.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>The client certificate with its key (MUTUAL).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The SNI to send; null means Envoy's auto_sni (the request's host, without port).</summary>
    public string? Sni { get; init; }

    /// <summary>Names one of which the server certificate must carry; empty with no <see cref="Sni"/> means the request's host.</summary>
    public IReadOnlyList<string> SubjectAltNames { get; init; } = [];

    /// <summary><c>insecureSkipVerify</c>: accept any server certificate.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>Why the settings cannot be used (missing Secret or file, bad PEM), or null.</summary>
    public string? Failure { get; init; }
}

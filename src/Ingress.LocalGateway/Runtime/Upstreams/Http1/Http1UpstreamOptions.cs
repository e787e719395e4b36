namespace Ingress.LocalGateway.Runtime.Upstreams.Http1;

/// <summary>Limits and timeouts of one endpoint's pool of HTTP/1.1 upstream connections (defaults are Envoy's).</summary>
public sealed record Http1UpstreamOptions
{
    /// <summary>How long a TCP connect may take (Envoy's cluster <c>connect_timeout</c>; Istio sets 10 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection may sit unused in the pool before it is closed (Envoy's default: 1 hour).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long an exchange may go without a byte from the upstream before it fails as a timeout.</summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A connection is not reused once it is this old (Envoy's <c>max_connection_duration</c>); null for no limit.</summary>
    public TimeSpan? MaxConnectionDuration { get; init; }

    /// <summary>Requests a connection carries before it is closed; 0 for no limit (Envoy's <c>max_requests_per_connection</c>).</summary>
    public long MaxRequestsPerConnection { get; init; }

    /// <summary>Bytes of a response head (status line and fields), and of its trailers (Envoy: 60 KiB).</summary>
    public int MaxResponseHeaderBytes { get; init; } = 60 * 1024;

    /// <summary>Fields in a response head (Envoy's <c>max_headers_count</c>: 100).</summary>
    public int MaxResponseHeaderCount { get; init; } = 100;
}

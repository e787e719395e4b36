namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// What one finished request reports to the access log, metrics and tracing, copied out of the request before its
/// HttpContext is reused.
/// </summary>
public sealed record RequestRecord
{
    public required DateTimeOffset StartTime { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Protocol { get; init; }
    public required int ResponseCode { get; init; }
    public string? ResponseFlags { get; init; }
    public string? ResponseDetails { get; init; }
    public long BytesReceived { get; init; }
    public long BytesSent { get; init; }
    public long DurationMs { get; init; }
    public double DurationExactMs { get; init; }
    public string? UpstreamServiceTime { get; init; }
    public string? ForwardedFor { get; init; }
    public string? UserAgent { get; init; }
    public string? RequestId { get; init; }
    public string? Authority { get; init; }
    public string? UpstreamHost { get; init; }
    public string? UpstreamCluster { get; init; }
    public string? DownstreamLocalAddress { get; init; }
    public string? DownstreamRemoteAddress { get; init; }
    public string? RequestedServerName { get; init; }
    public string? RouteName { get; init; }

    /// <summary>The destination service FQDN, or null when the request had none.</summary>
    public string? DestinationService { get; init; }

    public IReadOnlyDictionary<string, string>? DestinationLabels { get; init; }
    public string Operation { get; init; } = "";
}

using Ingress.LocalGateway.Snapshot.Routing;

namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>The per-route policies beyond matching and the action: retries, timeout, fault, CORS, mirror.</summary>
public sealed record RoutePolicies
{
    /// <summary>No policy at all (no timeout, no retries, no fault, no mirror, no CORS).</summary>
    public static RoutePolicies None { get; } = new();

    /// <summary>The route timeout; null means none (Istio sets Envoy's route timeout to 0).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The retry policy; null means no retries (<c>attempts: 0</c>).</summary>
    public RetryPolicy? Retry { get; init; }

    /// <summary>The fault to inject, or null.</summary>
    public FaultPolicy? Fault { get; init; }

    /// <summary>Where copies of the request go (<c>mirror</c> or <c>mirrors</c>), each with its own fraction.</summary>
    public IReadOnlyList<MirrorPolicy> Mirrors { get; init; } = [];

    /// <summary>The CORS policy, or null.</summary>
    public CorsPolicyRules? Cors { get; init; }
}

/// <summary>The <c>retryOn</c> conditions Envoy knows, as Istio passes them through.</summary>
[Flags]
public enum RetryOn
{
    None = 0,

    /// <summary><c>5xx</c>: any 5xx response, and any reset or timeout of the attempt.</summary>
    FiveXx = 1 << 0,

    /// <summary><c>gateway-error</c>: 502, 503, 504, and any reset or timeout of the attempt.</summary>
    GatewayError = 1 << 1,

    /// <summary><c>reset</c>: the upstream did not answer (reset, disconnect, connect failure, per-try timeout).</summary>
    Reset = 1 << 2,

    /// <summary><c>reset-before-request</c>: a reset before the request was sent (locally: a connect failure).</summary>
    ResetBeforeRequest = 1 << 3,

    /// <summary><c>connect-failure</c>: the connection to the upstream could not be made.</summary>
    ConnectFailure = 1 << 4,

    /// <summary><c>retriable-4xx</c>: 409 Conflict.</summary>
    Retriable4xx = 1 << 5,

    /// <summary><c>refused-stream</c>: the upstream refused the HTTP/2 stream (REFUSED_STREAM).</summary>
    RefusedStream = 1 << 6,

    /// <summary><c>retriable-status-codes</c>: one of <see cref="RetryPolicy.RetriableStatusCodes"/>.</summary>
    RetriableStatusCodes = 1 << 7,

    /// <summary><c>cancelled</c>: grpc-status 1 in the response headers.</summary>
    GrpcCancelled = 1 << 8,

    /// <summary><c>deadline-exceeded</c>: grpc-status 4.</summary>
    GrpcDeadlineExceeded = 1 << 9,

    /// <summary><c>resource-exhausted</c>: grpc-status 8.</summary>
    GrpcResourceExhausted = 1 << 10,

    /// <summary><c>unavailable</c>: grpc-status 14.</summary>
    GrpcUnavailable = 1 << 11,

    /// <summary><c>internal</c>: grpc-status 13.</summary>
    GrpcInternal = 1 << 12,
}

/// <summary>
/// An Envoy route retry policy as Istio's <c>retry.ConvertPolicy</c> builds it: the number of retries, the
/// conditions, the per-try timeout, the previous-hosts predicate and the jittered back-off.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>
    /// Istio's default when a route sets no <c>retries</c>: 2 retries on
    /// <c>connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes</c> with 503 as the retriable
    /// status (unless pilot runs with EXCLUDE_503_FROM_DEFAULT_RETRIES), avoiding previously tried hosts with up to 5
    /// host selection attempts.
    /// </summary>
    public static RetryPolicy IstioDefault { get; } = new()
    {
        NumRetries = 2,
        RetryOn = RetryOn.ConnectFailure | RetryOn.RefusedStream | RetryOn.GrpcUnavailable | RetryOn.GrpcCancelled
            | RetryOn.RetriableStatusCodes,
        RetryOnText = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
        RetriableStatusCodes = [503],
    };

    /// <summary>Envoy's <c>num_retries</c>: retries after the first attempt.</summary>
    public required int NumRetries { get; init; }

    /// <summary>The conditions that allow a retry.</summary>
    public required RetryOn RetryOn { get; init; }

    /// <summary>The conditions as Envoy's <c>retry_on</c> string (for the config dump).</summary>
    public required string RetryOnText { get; init; }

    /// <summary>Status codes retried under <see cref="RetryOn.RetriableStatusCodes"/>.</summary>
    public IReadOnlyList<int> RetriableStatusCodes { get; init; } = [];

    /// <summary>The timeout of each attempt, or null (the route timeout alone bounds them).</summary>
    public TimeSpan? PerTryTimeout { get; init; }

    /// <summary>Envoy's <c>previous_hosts</c> retry host predicate (Istio: unless <c>retryIgnorePreviousHosts: false</c>).</summary>
    public bool AvoidPreviousHosts { get; init; } = true;

    /// <summary>Envoy's <c>host_selection_retry_max_attempts</c> (Istio always sets 5).</summary>
    public int HostSelectionMaxAttempts { get; init; } = 5;

    /// <summary>The back-off base interval (Envoy's default 25 ms); the maximum is ten times it.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Whether a response status (and its grpc-status header, if any) allows a retry.</summary>
    public bool RetriesStatus(int status, string? grpcStatus)
    {
        if ((RetryOn & RetryOn.FiveXx) != 0 && status is >= 500 and < 600)
        {
            return true;
        }

        if ((RetryOn & RetryOn.GatewayError) != 0 && status is 502 or 503 or 504)
        {
            return true;
        }

        if ((RetryOn & RetryOn.Retriable4xx) != 0 && status == 409)
        {
            return true;
        }

        if ((RetryOn & RetryOn.RetriableStatusCodes) != 0 && RetriableStatusCodes.Contains(status))
        {
            return true;
        }

        return grpcStatus switch
        {
            "1" => (RetryOn & RetryOn.GrpcCancelled) != 0,
            "4" => (RetryOn & RetryOn.GrpcDeadlineExceeded) != 0,
            "8" => (RetryOn & RetryOn.GrpcResourceExhausted) != 0,
            "13" => (RetryOn & RetryOn.GrpcInternal) != 0,
            "14" => (RetryOn & RetryOn.GrpcUnavailable) != 0,
            _ => false,
        };
    }

    /// <summary>Whether an attempt that ended without a response allows a retry (Envoy's <c>wouldRetryFromReset</c>).</summary>
    public bool RetriesReset(AttemptFailure failure)
    {
        if ((RetryOn & (RetryOn.FiveXx | RetryOn.GatewayError | RetryOn.Reset)) != 0)
        {
            return true;
        }

        return failure switch
        {
            AttemptFailure.ConnectFailure => (RetryOn & (RetryOn.ConnectFailure | RetryOn.ResetBeforeRequest)) != 0,
            AttemptFailure.RefusedStream => (RetryOn & RetryOn.RefusedStream) != 0,
            _ => false,
        };
    }

    /// <summary>
    /// Envoy's jittered exponential back-off before retry <paramref name="retry"/> (1-based): a random time below
    /// (2^retry - 1) × base, capped at ten times the base.
    /// </summary>
    public TimeSpan Backoff(int retry)
    {
        var baseMs = Math.Max(1, (long)BackoffBase.TotalMilliseconds);
        var maxMs = baseMs * 10;
        var ceiling = Math.Min(((1L << Math.Min(retry, 20)) - 1) * baseMs, maxMs);
        return TimeSpan.FromMilliseconds(Random.Shared.NextInt64(ceiling));
    }
}

/// <summary>Why an upstream attempt produced no response, in Envoy's reset-reason terms.</summary>
public enum AttemptFailure
{
    /// <summary>The connection could not be made (<c>UF</c>).</summary>
    ConnectFailure,

    /// <summary>The connection closed or reset before the response (<c>UC</c>).</summary>
    ConnectionTermination,

    /// <summary>The HTTP/2 stream was refused (<c>UR</c>).</summary>
    RefusedStream,

    /// <summary>The per-try timeout expired (<c>UT</c>).</summary>
    PerTryTimeout,
}

/// <summary>A fraction of requests as Envoy draws it: a numerator per million.</summary>
public readonly record struct Fraction(int PerMillion)
{
    /// <summary>Every request.</summary>
    public static Fraction All { get; } = new(1_000_000);

    /// <summary>Istio's <c>Percent.value</c> (0–100, fractional) as Envoy's per-million numerator.</summary>
    public static Fraction FromPercent(double percent) => new((int)Math.Clamp(percent * 10_000, 0, 1_000_000));

    /// <summary>Draws for one request.</summary>
    public bool Draw() => PerMillion >= 1_000_000 || (PerMillion > 0 && Random.Shared.Next(1_000_000) < PerMillion);

    /// <inheritdoc />
    public override string ToString() => (PerMillion / 10_000.0).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) + "%";
}

/// <summary>Envoy's fault filter config for a route: an optional fixed delay and an optional abort, each with a fraction.</summary>
public sealed record FaultPolicy
{
    /// <summary>The fixed delay, or null for none.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>The share of requests delayed (0 when Istio got no percentage).</summary>
    public Fraction DelayFraction { get; init; }

    /// <summary>Whether an abort is configured.</summary>
    public bool HasAbort => AbortHttpStatus is not null || AbortGrpcStatus is not null;

    /// <summary>The HTTP status of the abort, or null.</summary>
    public int? AbortHttpStatus { get; init; }

    /// <summary>The gRPC status code of the abort (Istio's name mapped to its number), or null.</summary>
    public int? AbortGrpcStatus { get; init; }

    /// <summary>The share of requests aborted (0 when Istio got no percentage).</summary>
    public Fraction AbortFraction { get; init; }
}

/// <summary>One <c>request_mirror_policies</c> entry: the mirror cluster and the share of requests copied to it.</summary>
public sealed record MirrorPolicy
{
    /// <summary>The mirror destination (its cluster is null when the host is unknown: nothing is sent).</summary>
    public required WeightedDestination Destination { get; init; }

    /// <summary>The share of requests mirrored.</summary>
    public required Fraction Fraction { get; init; }
}

/// <summary>Envoy's CORS policy for a route, as Istio's <c>TranslateCORSPolicy</c> builds it.</summary>
public sealed record CorsPolicyRules
{
    /// <summary>The allowed origins; an origin is allowed when one matches it (or matches <c>*</c>).</summary>
    public required IReadOnlyList<StringMatcher> AllowOrigins { get; init; }

    /// <summary><c>allowMethods</c> joined with <c>,</c>; empty when none.</summary>
    public string AllowMethods { get; init; } = "";

    /// <summary><c>allowHeaders</c> joined with <c>,</c>; empty when none.</summary>
    public string AllowHeaders { get; init; } = "";

    /// <summary><c>exposeHeaders</c> joined with <c>,</c>; empty when none.</summary>
    public string ExposeHeaders { get; init; } = "";

    /// <summary><c>maxAge</c> in whole seconds, or empty.</summary>
    public string MaxAge { get; init; } = "";

    /// <summary><c>allowCredentials</c> (unset is false).</summary>
    public bool AllowCredentials { get; init; }

    /// <summary>Envoy's <c>forward_not_matching_preflights</c>: true unless <c>unmatchedPreflights: IGNORE</c>.</summary>
    public bool ForwardNotMatchingPreflights { get; init; } = true;

    /// <summary>Whether the origin is allowed (Envoy's <c>isOriginAllowed</c>).</summary>
    public bool IsOriginAllowed(string origin)
    {
        foreach (var matcher in AllowOrigins)
        {
            if (matcher.Matches("*") || matcher.Matches(origin))
            {
                return true;
            }
        }

        return false;
    }
}

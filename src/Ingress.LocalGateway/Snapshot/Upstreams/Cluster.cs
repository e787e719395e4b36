using Ingress.LocalGateway.Runtime.Upstreams;

namespace Ingress.LocalGateway.Snapshot.Upstreams;

/// <summary>
/// An Envoy cluster <c>outbound|port|subset|host</c> in a snapshot: its endpoints and DestinationRule policy, and the
/// calls the forwarding stage makes per attempt: <see cref="PickEndpoint"/>, <see cref="TryAcquireAsync"/> (circuit
/// breakers), <see cref="ReportOutcome(EndpointDefinition, int)"/> (outlier detection) and
/// <see cref="TryAcquireRetry"/>. Its running state lives in a <see cref="ClusterRuntime"/> shared by the snapshots
/// that compile the cluster the same way.
/// </summary>
public sealed class Cluster
{
    public required string Name { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public string? Subset { get; init; }

    /// <summary>The endpoints selected by host, port and subset labels; empty means 503 UH.</summary>
    public required IReadOnlyList<EndpointDefinition> Endpoints { get; init; }

    /// <summary>The running state: client, balancer, outlier detection, circuit breakers.</summary>
    public required ClusterRuntime Runtime { get; init; }

    /// <summary>The pooled client used for every request of this cluster.</summary>
    public HttpMessageInvoker Client => Runtime.Client;

    /// <summary>The merged DestinationRule policy of this cluster.</summary>
    public UpstreamPolicy Policy => Runtime.Policy;

    /// <summary>
    /// Picks an endpoint with the cluster's load balancer, skipping endpoints ejected by outlier detection and, when
    /// others remain, the ones in <paramref name="exclude"/> (endpoints already tried by this request); null when no
    /// endpoint is healthy (503 UH <c>no healthy upstream</c>).
    /// </summary>
    public EndpointDefinition? PickEndpoint(IReadOnlyCollection<EndpointDefinition>? exclude = null) => Runtime.Pick(exclude);

    /// <summary>
    /// Takes the cluster's circuit-breaker slot for one attempt to <paramref name="endpoint"/>, waiting as a pending
    /// request if every allowed connection is busy. Null means overflow: answer with
    /// <see cref="UpstreamReplies.OverflowAsync"/> (503 UO). Dispose the lease when the attempt has ended.
    /// </summary>
    public async ValueTask<UpstreamLease?> TryAcquireAsync(EndpointDefinition endpoint, CancellationToken cancellationToken)
    {
        if (!await Runtime.Limiter.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        Runtime.Begin(endpoint);
        return new UpstreamLease(Runtime, endpoint);
    }

    /// <summary>Takes a retry slot (<c>maxRetries</c>); null means the retry must not be made. Dispose it after the retry.</summary>
    public RetryLease? TryAcquireRetry() => Runtime.Limiter.TryEnterRetry() ? new RetryLease(Runtime.Limiter) : null;

    /// <summary>Tells outlier detection the status an endpoint answered with.</summary>
    public void ReportOutcome(EndpointDefinition endpoint, int status) => Runtime.Report(endpoint, status);

    /// <summary>Tells outlier detection that an attempt failed locally (Envoy counts it as the 5xx it maps to).</summary>
    public void ReportOutcome(EndpointDefinition endpoint, LocalOriginFailure failure) => Runtime.Report(endpoint, failure switch
    {
        LocalOriginFailure.Timeout => 504,
        _ => 503,
    });

    /// <summary>Istio's cluster name for a destination.</summary>
    public static string NameFor(string host, int port, string? subset) => $"outbound|{port}|{subset}|{host}";
}

/// <summary>How an attempt failed without a response from the endpoint.</summary>
public enum LocalOriginFailure
{
    /// <summary>The connection (or its TLS handshake) could not be made.</summary>
    ConnectFailure,

    /// <summary>The endpoint reset or closed the connection before answering.</summary>
    Reset,

    /// <summary>The attempt timed out.</summary>
    Timeout,
}

/// <summary>One attempt's hold on a cluster's circuit breakers and on its endpoint's request count.</summary>
public sealed class UpstreamLease : IDisposable
{
    private readonly ClusterRuntime _runtime;
    private int _released;

    internal UpstreamLease(ClusterRuntime runtime, EndpointDefinition endpoint)
    {
        _runtime = runtime;
        Endpoint = endpoint;
    }

    /// <summary>The endpoint the attempt goes to.</summary>
    public EndpointDefinition Endpoint { get; }

    /// <summary>Releases the slot (same as <see cref="Dispose"/>).</summary>
    public void Release() => Dispose();

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _runtime.End(Endpoint);
            _runtime.Limiter.Exit();
        }
    }
}

/// <summary>A retry's hold on a cluster's <c>maxRetries</c> budget.</summary>
public sealed class RetryLease : IDisposable
{
    private readonly ConnectionPoolLimiter _limiter;
    private int _released;

    internal RetryLease(ConnectionPoolLimiter limiter) => _limiter = limiter;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _limiter.ExitRetry();
        }
    }
}

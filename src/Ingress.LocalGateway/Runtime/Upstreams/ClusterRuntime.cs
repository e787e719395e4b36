using System.Buffers;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Runtime.Upstreams;

/// <summary>
/// The running state of a compiled <see cref="Cluster"/> that outlives a snapshot: its pooled client, load balancer,
/// outlier detector, circuit-breaker counters and requests in flight per endpoint, and the calls the forwarding stage
/// makes per attempt: <see cref="Pick"/>, <see cref="TryAcquireAsync"/> (circuit breakers), <see cref="Report"/>
/// (outlier detection) and <see cref="TryAcquireRetry"/>. A reload that compiles the cluster with the same
/// <see cref="Cluster.StateKey"/> keeps it (ejections and counters survive); any change builds a new one and retires
/// this one, whose client is disposed at a later reload once no request uses it.
/// </summary>
public sealed class ClusterRuntime : IDisposable
{
    private readonly EndpointDefinition[] _endpoints;
    private readonly long[] _active;
    private readonly LoadBalancer _balancer;
    private long _inFlight;
    private int _retired;
    private int _disposed;

    public ClusterRuntime(Cluster cluster, HttpMessageInvoker client, TimeProvider time, Func<int, int>? random = null)
    {
        Cluster = cluster;
        _endpoints = [.. cluster.Endpoints];
        _active = new long[_endpoints.Length];
        Client = client;
        _balancer = LoadBalancer.Create(cluster.Policy.LoadBalancer, random);
        Outlier = cluster.Policy.Outlier is { } outlier ? new OutlierDetector(outlier, _endpoints.Length, time) : null;
        Limiter = new ConnectionPoolLimiter(cluster.Policy.Limits);
        Key = cluster.StateKey;
    }

    /// <summary>The compiled cluster it was built for (the first snapshot's; later ones have the same key).</summary>
    public Cluster Cluster { get; }

    public string Name => Cluster.Name;
    public UpstreamPolicy Policy => Cluster.Policy;

    /// <summary>The <see cref="Cluster.StateKey"/> it was built for.</summary>
    public string Key { get; }

    public IReadOnlyList<EndpointDefinition> Endpoints => _endpoints;

    /// <summary>The pooled client used for every request of this cluster.</summary>
    public HttpMessageInvoker Client { get; }

    public OutlierDetector? Outlier { get; }
    public ConnectionPoolLimiter Limiter { get; }

    /// <summary>Whether a reload replaced it.</summary>
    public bool IsRetired => Volatile.Read(ref _retired) == 1;

    /// <summary>
    /// Takes the cluster's circuit-breaker slot for one attempt to <paramref name="endpoint"/>, waiting as a pending
    /// request if every allowed connection is busy. Null means overflow: answer with
    /// <see cref="UpstreamReplies.OverflowAsync"/> (503 UO). Dispose the lease when the attempt has ended.
    /// </summary>
    public async ValueTask<UpstreamLease?> TryAcquireAsync(EndpointDefinition endpoint, CancellationToken cancellationToken)
    {
        if (!await Limiter.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        Begin(endpoint);
        return new UpstreamLease(this, endpoint);
    }

    /// <summary>Takes a retry slot (<c>maxRetries</c>); null means the retry must not be made. Dispose it after the retry.</summary>
    public RetryLease? TryAcquireRetry() => Limiter.TryEnterRetry() ? new RetryLease(Limiter) : null;

    /// <summary>Tells outlier detection that an attempt failed locally (Envoy counts it as the 5xx it maps to).</summary>
    public void Report(EndpointDefinition endpoint, LocalOriginFailure failure) => Report(endpoint, failure switch
    {
        LocalOriginFailure.Timeout => 504,
        _ => 503,
    });

    /// <summary>
    /// Picks an endpoint with the cluster's load balancer among the endpoints outlier detection has not ejected,
    /// avoiding <paramref name="exclude"/> (the endpoints a retry already tried, Envoy's previous_hosts) unless
    /// nothing else is left; null when no endpoint is healthy (503 UH).
    /// </summary>
    public EndpointDefinition? Pick(IReadOnlyCollection<EndpointDefinition>? exclude)
    {
        if (_endpoints.Length == 0)
        {
            return null;
        }

        // Per request: the candidate indexes live on the stack (clusters are small; a large one rents an array).
        int[]? rented = null;
        var buffer = _endpoints.Length <= 64 ? stackalloc int[_endpoints.Length] : (rented = ArrayPool<int>.Shared.Rent(_endpoints.Length));
        try
        {
            var count = Outlier is { } outlier ? outlier.Healthy(buffer) : AllIndexes(buffer, _endpoints.Length);
            if (count == 0)
            {
                return null;
            }

            var candidates = buffer[..count];
            if (exclude is { Count: > 0 })
            {
                var fresh = 0;
                foreach (var index in candidates)
                {
                    if (!Contains(exclude, _endpoints[index]))
                    {
                        candidates[fresh++] = index;
                    }
                }

                // Nothing is written back unless kept, so when every healthy endpoint was tried the candidates are intact:
                // any of them again (the outcome of Envoy's exhausted re-picks).
                if (fresh > 0)
                {
                    candidates = candidates[..fresh];
                }
            }

            var chosen = candidates.Length == 1 ? 0 : _balancer.Pick(candidates, _active);
            return _endpoints[candidates[chosen]];
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    private static int AllIndexes(Span<int> buffer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            buffer[i] = i;
        }

        return count;
    }

    private static bool Contains(IReadOnlyCollection<EndpointDefinition> endpoints, EndpointDefinition endpoint)
    {
        foreach (var e in endpoints)
        {
            if (Same(e, endpoint))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Tells outlier detection how a request to an endpoint ended (a status, or the status a failure maps to).</summary>
    public void Report(EndpointDefinition endpoint, int status)
    {
        if (Outlier is { } outlier && IndexOf(endpoint) is var index and >= 0)
        {
            outlier.Report(index, status);
        }
    }

    /// <summary>Counts a request in flight to an endpoint (for LEAST_REQUEST and for retiring).</summary>
    public void Begin(EndpointDefinition endpoint)
    {
        Interlocked.Increment(ref _inFlight);
        if (IndexOf(endpoint) is var index and >= 0)
        {
            Interlocked.Increment(ref _active[index]);
        }
    }

    /// <summary>Ends what <see cref="Begin"/> counted.</summary>
    public void End(EndpointDefinition endpoint)
    {
        if (IndexOf(endpoint) is var index and >= 0)
        {
            Interlocked.Decrement(ref _active[index]);
        }

        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Requests in flight to an endpoint.</summary>
    public long ActiveRequests(EndpointDefinition endpoint) => IndexOf(endpoint) is var index and >= 0 ? Interlocked.Read(ref _active[index]) : 0;

    /// <summary>Requests in flight through it.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>
    /// Marks it replaced. The pool disposes it at a later reload once nothing is in flight: a request of the old
    /// snapshot may still be on its way to <see cref="Begin"/> right after the swap.
    /// </summary>
    public void Retire() => Volatile.Write(ref _retired, 1);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Client.Dispose();
        }
    }

    private int IndexOf(EndpointDefinition endpoint)
    {
        for (var i = 0; i < _endpoints.Length; i++)
        {
            if (Same(_endpoints[i], endpoint))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Same(EndpointDefinition a, EndpointDefinition b) =>
        ReferenceEquals(a, b) || (a.Address == b.Address && a.Host == b.Host && a.Port == b.Port);
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

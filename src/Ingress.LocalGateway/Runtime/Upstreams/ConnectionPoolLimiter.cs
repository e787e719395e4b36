using Ingress.LocalGateway.Snapshot.Upstreams;
namespace Ingress.LocalGateway.Runtime.Upstreams;

/// <summary>
/// Envoy's circuit breakers for one cluster. An HTTP/1.1 connection carries one request at a time, so a request
/// beyond <c>tcp.maxConnections</c> waits for a connection as a pending request; beyond
/// <c>http1MaxPendingRequests</c> waiting requests, or <c>http2MaxRequests</c> requests in flight, it overflows
/// (Envoy's 503 <c>UO</c>). Retries have their own limit, <c>maxRetries</c>.
/// </summary>
public sealed class ConnectionPoolLimiter
{
    private readonly ConnectionLimits _limits;
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<bool>> _waiting = new();
    private long _requests;
    private long _busy;
    private long _retries;

    public ConnectionPoolLimiter(ConnectionLimits limits) => _limits = limits;

    /// <summary>Requests in flight (holding a connection).</summary>
    public long Active
    {
        get
        {
            lock (_lock)
            {
                return _busy;
            }
        }
    }

    /// <summary>Requests waiting for a connection.</summary>
    public long Pending
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Takes a connection for a request, waiting as a pending request when every allowed connection is busy; false
    /// when a limit overflows (answer 503 UO). Every true must be matched by one <see cref="Exit"/>.
    /// </summary>
    public ValueTask<bool> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        LinkedListNode<TaskCompletionSource<bool>> node;
        lock (_lock)
        {
            if (_requests >= _limits.MaxRequests)
            {
                return ValueTask.FromResult(false);
            }

            if (_busy < _limits.MaxConnections)
            {
                _busy++;
                _requests++;
                return ValueTask.FromResult(true);
            }

            if (_waiting.Count >= _limits.MaxPendingRequests)
            {
                return ValueTask.FromResult(false);
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast(waiter);
        }

        return WaitAsync(waiter, node, cancellationToken);
    }

    /// <summary>Gives the request's connection to the oldest pending request, or frees it.</summary>
    public void Exit()
    {
        lock (_lock)
        {
            _requests--;
            while (_waiting.First is { } next)
            {
                _waiting.RemoveFirst();
                if (_requests >= _limits.MaxRequests)
                {
                    // Envoy checks max requests again when a pending request gets its connection.
                    next.Value.TrySetResult(false);
                    continue;
                }

                if (next.Value.TrySetResult(true))
                {
                    _requests++;
                    return;
                }
            }

            _busy--;
        }
    }

    /// <summary>Takes a retry slot; false when <c>maxRetries</c> retries are already in flight (the retry is not made).</summary>
    public bool TryEnterRetry()
    {
        lock (_lock)
        {
            if (_retries >= _limits.MaxRetries)
            {
                return false;
            }

            _retries++;
            return true;
        }
    }

    /// <summary>Frees a retry slot taken by <see cref="TryEnterRetry"/>.</summary>
    public void ExitRetry()
    {
        lock (_lock)
        {
            _retries--;
        }
    }

    private async ValueTask<bool> WaitAsync(TaskCompletionSource<bool> waiter, LinkedListNode<TaskCompletionSource<bool>> node,
        CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    waiter.TrySetCanceled(cancellationToken);
                }
            }
        }).ConfigureAwait(false);
        return await waiter.Task.ConfigureAwait(false);
    }
}

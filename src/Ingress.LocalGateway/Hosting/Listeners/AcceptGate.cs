using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// Kestrel's transport with one power Kestrel lacks: its listening sockets can be closed while the connections they
/// accepted keep running. Kestrel unbinds only as part of stopping, and stopping also closes idle keep-alive
/// connections at once, racing clients that are just sending their next request on them.
/// </summary>
internal sealed class AcceptGate : IConnectionListenerFactory
{
    private readonly IConnectionListenerFactory _transport;
    private readonly List<GatedListener> _listeners = [];
    private bool _closed;

    public AcceptGate(IConnectionListenerFactory transport) => _transport = transport;

    /// <inheritdoc />
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new GatedListener(await _transport.BindAsync(endpoint, cancellationToken).ConfigureAwait(false));
        bool closed;
        lock (_listeners)
        {
            closed = _closed;
            _listeners.Add(listener);
        }

        if (closed)
        {
            await listener.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }

        return listener;
    }

    /// <summary>
    /// Closes every listening socket. Kestrel's accept loop then gets no connection and ends; new connections are
    /// refused by the kernel; accepted connections are not touched.
    /// </summary>
    public async Task CloseAsync()
    {
        GatedListener[] listeners;
        lock (_listeners)
        {
            _closed = true;
            listeners = [.. _listeners];
        }

        foreach (var listener in listeners)
        {
            await listener.UnbindAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A transport listener whose unbind runs once, whether the drain or Kestrel's own stop asks first.</summary>
    private sealed class GatedListener(IConnectionListener inner) : IConnectionListener
    {
        private int _unbound;

        public EndPoint EndPoint => inner.EndPoint;

        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
            inner.AcceptAsync(cancellationToken);

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) =>
            Interlocked.Exchange(ref _unbound, 1) == 0 ? inner.UnbindAsync(cancellationToken) : ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

using System.Net;
using Ingress.LocalGateway.Runtime;
using Ingress.LocalGateway.Snapshot;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// Keeps one Kestrel listener per Gateway port in line with the current snapshot: ports added by a reload are
/// bound, removed ones drained and closed, unchanged ones kept (their connections survive the reload).
/// </summary>
public sealed partial class ListenerManager : IAsyncDisposable
{
    private readonly SnapshotHolder _snapshots;
    private readonly RequestPipeline _pipeline;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeSpan _drain;
    private readonly Dictionary<int, PortListener> _listeners = [];
    private readonly List<Task> _retiring = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ListenerManager(SnapshotHolder snapshots, RequestPipeline pipeline, ILoggerFactory loggerFactory, TimeSpan drain)
    {
        _snapshots = snapshots;
        _pipeline = pipeline;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ListenerManager>();
        _drain = drain;
    }

    /// <summary>Whether every listener the current snapshot wants is bound.</summary>
    public bool AllBound { get; private set; }

    /// <summary>Bound addresses by Gateway port.</summary>
    public IReadOnlyDictionary<int, IPEndPoint> BoundAddresses
    {
        get
        {
            lock (_listeners)
            {
                return _listeners.ToDictionary(l => l.Key, l => l.Value.BoundAddress);
            }
        }
    }

    /// <summary>Brings the listeners in line with <paramref name="snapshot"/>; returns the ports that could not be bound.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(GatewaySnapshot snapshot, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var errors = new List<string>();
            List<PortListener> stale;
            lock (_listeners)
            {
                stale = _listeners.Values
                    .Where(l => !snapshot.Listeners.TryGetValue(l.Port, out var want)
                                || want.Protocol != l.Protocol || !want.Address.Equals(l.RequestedAddress))
                    .ToList();
                foreach (var listener in stale)
                {
                    _listeners.Remove(listener.Port);
                }
            }

            foreach (var listener in stale)
            {
                // The port is free at once (a changed listener may bind it again below); the connections still open on
                // it drain in the background, so a reload never waits for clients.
                await listener.StopAcceptingAsync().ConfigureAwait(false);
                lock (_retiring)
                {
                    _retiring.RemoveAll(t => t.IsCompleted);
                    _retiring.Add(RetireAsync(listener));
                }
            }

            foreach (var (port, config) in snapshot.Listeners.OrderBy(l => l.Key))
            {
                bool running;
                lock (_listeners)
                {
                    running = _listeners.ContainsKey(port);
                }

                if (running)
                {
                    continue;
                }

                try
                {
                    var listener = await PortListener.StartAsync(port, config.Protocol, config.Address, _snapshots, _pipeline,
                        _loggerFactory, cancellationToken).ConfigureAwait(false);
                    lock (_listeners)
                    {
                        _listeners[port] = listener;
                    }

                    LogListening(_logger, port, config.Protocol, listener.BoundAddress);
                }
                catch (IOException e)
                {
                    errors.Add(e.Message);
                    LogBindFailed(_logger, port, e.Message);
                }
            }

            AllBound = errors.Count == 0;
            return errors;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RetireAsync(PortListener listener)
    {
        await listener.StopAsync(_drain).ConfigureAwait(false);
        await listener.DisposeAsync().ConfigureAwait(false);
        LogClosed(_logger, listener.Port, listener.BoundAddress);
    }

    /// <summary>Drains and closes every listener, including those a reload removed that are still draining.</summary>
    public async Task StopAsync()
    {
        List<PortListener> all;
        lock (_listeners)
        {
            all = [.. _listeners.Values];
            _listeners.Clear();
        }

        AllBound = false;
        Task[] retiring;
        lock (_retiring)
        {
            retiring = [.. _retiring];
            _retiring.Clear();
        }

        await Task.WhenAll(all.Select(l => l.StopAsync(_drain)).Concat(retiring)).ConfigureAwait(false);
        foreach (var listener in all)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    [LoggerMessage(EventId = LogEvents.ListenerBound, Level = LogLevel.Information, Message = "Gateway port {Port} ({Protocol}) listening on {Address}")]
    private static partial void LogListening(ILogger logger, int port, ListenerProtocol protocol, IPEndPoint address);

    [LoggerMessage(EventId = LogEvents.ListenerClosed, Level = LogLevel.Information, Message = "Gateway port {Port} closed ({Address})")]
    private static partial void LogClosed(ILogger logger, int port, IPEndPoint address);

    [LoggerMessage(EventId = LogEvents.ListenerBindFailed, Level = LogLevel.Error, Message = "Gateway port {Port} could not be bound: {Reason}")]
    private static partial void LogBindFailed(ILogger logger, int port, string reason);
}

using System.Diagnostics;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// Drains one Kestrel server the way Envoy drains a listener: stop accepting, give every HTTP/1.x response from then
/// on <c>connection: close</c> and every HTTP/2 connection a GOAWAY, so that clients leave on their own; close only
/// what is still open at the drain timeout.
/// </summary>
/// <remarks>
/// Kestrel's own stop closes idle keep-alive connections at once, and a client that is just sending its next request
/// on one gets a reset instead of a response. Letting the client close (after a response that says so) has no such
/// race.
/// </remarks>
public sealed class ConnectionDrain : IDisposable
{
    private readonly CancellationTokenSource _draining = new();
    private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<object, Task> _closeIfDraining;
    private int _open;

    public ConnectionDrain()
    {
        // One delegate per server, so a request registers it without allocating.
        _closeIfDraining = state =>
        {
            var response = (HttpResponse)state;
            // A 101 answers an upgrade (WebSocket): its connection: upgrade must stay; the upgraded connection is
            // closed at the drain timeout like any other that is still open.
            if (_draining.IsCancellationRequested && response.StatusCode != StatusCodes.Status101SwitchingProtocols)
            {
                response.Headers.Connection = "close";
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>Whether the drain has begun.</summary>
    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Connections open now (counted from accept, TLS handshakes included).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>
    /// Puts the closable transport in front of Kestrel's socket transport. Call before <c>UseKestrelCore</c>, which
    /// only adds its own transport when none is registered.
    /// </summary>
    public static void AddClosableTransport(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new AcceptGate(ActivatorUtilities.CreateInstance<SocketTransportFactory>(services)));
        builder.Services.AddSingleton<IConnectionListenerFactory>(services => services.GetRequiredService<AcceptGate>());
        builder.WebHost.UseSockets();
    }

    /// <summary>Connection middleware (first in the listener's chain) that counts open connections.</summary>
    public ConnectionDelegate CountConnections(ConnectionDelegate next) => async connection =>
    {
        Interlocked.Increment(ref _open);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Decrement(ref _open) == 0 && _draining.IsCancellationRequested)
            {
                _allClosed.TrySetResult();
            }
        }
    };

    /// <summary>
    /// Connection middleware (after TLS) that asks an HTTP/2 connection to close gracefully when the drain begins:
    /// Kestrel sends GOAWAY, lets the streams already opened finish, then closes.
    /// </summary>
    public ConnectionDelegate GoAwayWhenDraining(ConnectionDelegate next) => async connection =>
    {
        var lifetime = connection.Features.Get<IConnectionLifetimeNotificationFeature>();
        var alpn = connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol ?? ReadOnlyMemory<byte>.Empty;
        if (lifetime is null || !alpn.Span.SequenceEqual(SslApplicationProtocol.Http2.Protocol.Span))
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        using var registration = _draining.Token.Register(
            static state => ((IConnectionLifetimeNotificationFeature)state!).RequestClose(), lifetime);
        await next(connection).ConfigureAwait(false);
    };

    /// <summary>
    /// Called at the start of each request: an HTTP/1.x response whose headers go out after the drain began (including
    /// one already being produced when it began) carries <c>connection: close</c>, and Kestrel closes after it.
    /// </summary>
    public void Watch(HttpContext context)
    {
        var protocol = context.Request.Protocol;
        if (HttpProtocol.IsHttp11(protocol) || HttpProtocol.IsHttp10(protocol))
        {
            context.Response.OnStarting(_closeIfDraining, context.Response);
        }
    }

    /// <summary>
    /// Stops accepting, tells open connections to close, waits until they have (or <paramref name="timeout"/> has
    /// passed), then stops <paramref name="app"/>, which closes whatever is still open.
    /// </summary>
    /// <returns>The connections still open when the wait ended (0 when every client left in time).</returns>
    public async Task<int> DrainAsync(WebApplication app, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        await app.Services.GetRequiredService<AcceptGate>().CloseAsync().ConfigureAwait(false);
        _draining.Cancel();
        if (Volatile.Read(ref _open) == 0)
        {
            _allClosed.TrySetResult();
        }

        try
        {
            await _allClosed.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The drain timeout is over: what is still open is closed by the stop below.
        }

        var left = Volatile.Read(ref _open);
        var remaining = timeout - Stopwatch.GetElapsedTime(started);
        using var stop = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        try
        {
            await app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Requests still running at the deadline are cut.
        }

        return left;
    }

    /// <inheritdoc />
    public void Dispose() => _draining.Dispose();
}

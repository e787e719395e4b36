using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Ingress.LocalGateway.Runtime;
using Ingress.LocalGateway.Snapshot;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Hosting.Listeners;

/// <summary>
/// The Kestrel server of one Gateway port. An HTTPS port terminates TLS with a per-connection callback that picks the
/// server by SNI from the current snapshot, so a reload or a rotated certificate applies to the next handshake.
/// </summary>
public sealed partial class PortListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConnectionDrain _drain;
    private readonly ILogger _logger;

    private PortListener(WebApplication app, ConnectionDrain drain, int port, ListenerProtocol protocol, IPEndPoint requested,
        ILogger logger)
    {
        _app = app;
        _drain = drain;
        Port = port;
        Protocol = protocol;
        RequestedAddress = requested;
        _logger = logger;
    }

    /// <summary>The Gateway port.</summary>
    public int Port { get; }

    public ListenerProtocol Protocol { get; }

    /// <summary>The address asked for (port 0 stays 0 here).</summary>
    public IPEndPoint RequestedAddress { get; }

    /// <summary>The address actually bound.</summary>
    public IPEndPoint BoundAddress { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Binds and starts serving; throws <see cref="IOException"/> when the address cannot be bound.</summary>
    public static async Task<PortListener> StartAsync(int port, ListenerProtocol protocol, IPEndPoint address,
        SnapshotHolder snapshots, RequestPipeline pipeline, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger<PortListener>();
        PortListener? self = null;
        var (app, drain) = DrainableServer.Build(loggerFactory, address, (listen, draining) =>
        {
            if (protocol == ListenerProtocol.Https)
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = context => SelectTls(context, port, snapshots, self!),
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                });
                listen.Use(draining.GoAwayWhenDraining);
                listen.Use(Http1FramingInspector.Watch);
            }
            else
            {
                // HTTP/1.1, and HTTP/2 with prior knowledge (Envoy's codec AUTO on Istio's HTTP servers).
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(CleartextHttp2.Detect);
                listen.Use(draining.GoAwayWhenDraining);
                listen.Use(Http1FramingInspector.Watch);
            }
        }, context => pipeline.HandleAsync(context, port));
        self = new PortListener(app, drain, port, protocol, address, logger);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            drain.Dispose();
            throw new IOException($"cannot listen on {address} for Gateway port {port}: {e.Message}", e);
        }

        self.BoundAddress = DrainableServer.BoundAddress(app, address);
        return self;
    }

    private static ValueTask<SslServerAuthenticationOptions> SelectTls(TlsHandshakeCallbackContext context, int port,
        SnapshotHolder snapshots, PortListener self)
    {
        var sni = context.ClientHelloInfo.ServerName;
        if (!snapshots.Current.Listeners.TryGetValue(port, out var listener) || listener.Protocol != ListenerProtocol.Https)
        {
            throw new AuthenticationException($"port {port} no longer serves HTTPS");
        }

        var choice = listener.ChooseTls(sni);
        if (choice.Server is null)
        {
            LogNoServer(self._logger, sni ?? "", port);
            throw new AuthenticationException(choice.Refusal);
        }

        var server = choice.Server;
        if (choice.Refusal is not null)
        {
            LogCredentialFailure(self._logger, sni ?? "", port, server.Tls.CredentialSource, server.Tls.Failure ?? "");
            throw new AuthenticationException(choice.Refusal);
        }

        return ValueTask.FromResult(server.Tls.Options!);
    }

    /// <summary>Closes the listening socket: new connections are refused, open ones keep being served.</summary>
    public Task StopAcceptingAsync() => _app.Services.GetRequiredService<AcceptGate>().CloseAsync();

    /// <summary>
    /// Drains: stops accepting, answers every HTTP/1.x response with <c>connection: close</c> and sends HTTP/2
    /// connections GOAWAY, waits for clients to close up to <paramref name="drain"/>, then closes what is left.
    /// </summary>
    public async Task StopAsync(TimeSpan drain)
    {
        LogDraining(_logger, Port, _drain.OpenConnections, drain.TotalSeconds);
        var left = await _drain.DrainAsync(_app, drain).ConfigureAwait(false);
        LogDrained(_logger, Port, left);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _drain.Dispose();
    }

    [LoggerMessage(EventId = LogEvents.SniNoMatch, Level = LogLevel.Debug, Message = "TLS handshake refused: SNI '{Sni}' matches no Gateway server on port {Port}")]
    private static partial void LogNoServer(ILogger logger, string sni, int port);

    [LoggerMessage(EventId = LogEvents.CredentialUnusable, Level = LogLevel.Warning,
        Message = "TLS handshake failed for SNI '{Sni}' on port {Port}: the credential {Credential} is unusable: {Reason}")]
    private static partial void LogCredentialFailure(ILogger logger, string sni, int port, string credential, string reason);

    [LoggerMessage(EventId = LogEvents.ListenerDraining, Level = LogLevel.Information,
        Message = "Gateway port {Port} draining: no new connections, {Open} open one(s) asked to close, up to {Seconds} s")]
    private static partial void LogDraining(ILogger logger, int port, int open, double seconds);

    [LoggerMessage(EventId = LogEvents.ListenerDrained, Level = LogLevel.Information,
        Message = "Gateway port {Port} drained ({Left} connection(s) still open at the end were closed)")]
    private static partial void LogDrained(ILogger logger, int port, int left);
}

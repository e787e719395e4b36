using System.Net;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Hosting.Listeners;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Runtime.Security.Jwt;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Runtime.Sidecar;
using Ingress.LocalGateway.Snapshot.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Hosting.Sidecar;

/// <summary>
/// A local workload proxy, Istio's sidecar for one service: an inbound listener that enforces the workload's
/// PeerAuthentication, RequestAuthentications and AuthorizationPolicies and forwards to the service on loopback, plus
/// optional outbound listeners that carry the service's own calls into the mesh with mutual TLS. Its identity is a
/// SPIFFE certificate from the local mesh CA, re-issued at half its lifetime. The config is reloaded when the files
/// change; a config with errors is refused and the running one keeps being enforced.
/// </summary>
public sealed partial class SidecarHost : IAsyncDisposable, IReloadTarget<SidecarState>
{
    private readonly SidecarOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ServiceProvider _services;
    private readonly HttpMessageInvoker _serviceClient;
    private readonly List<(WebApplication App, ConnectionDrain Drain)> _apps = [];
    private readonly List<IPEndPoint> _outboundAddresses = [];
    private readonly ReloadableConfig<SidecarState> _config;
    private readonly JwksCache _jwks = new();
    private SidecarState? _state;
    private MeshCa? _ca;
    private HttpMessageInvoker? _meshClient;

    public SidecarHost(SidecarOptions options, IConfigSource source, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SidecarHost>();
        _config = new ReloadableConfig<SidecarState>(source, this, options.ReloadDebounce, _logger, "workload proxy");
        _time = time ?? TimeProvider.System;
        _services = new ServiceCollection().AddSingleton(loggerFactory).AddLogging().AddHttpForwarder().BuildServiceProvider();
        _serviceClient = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ActivityHeadersPropagator = null,
        }, disposeHandler: true);
    }

    /// <summary>The workload's SPIFFE identity.</summary>
    public string Identity => _options.SpiffeId;

    /// <summary>The workload's certificate (null before start).</summary>
    public WorkloadCertificate? Certificate { get; private set; }

    /// <summary>What is enforced now (null before start).</summary>
    public SidecarState? State => Volatile.Read(ref _state);

    /// <summary>Where the inbound listener is bound.</summary>
    public IPEndPoint InboundAddress { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Where each outbound listener is bound, in the order of <see cref="SidecarOptions.Outbound"/>.</summary>
    public IReadOnlyList<IPEndPoint> OutboundAddresses => _outboundAddresses;

    /// <summary>
    /// Loads the config, creates (or loads) the mesh CA and the workload certificate, and starts listening. A config
    /// with errors fails the start with its findings; an address that cannot be bound throws <see cref="IOException"/>.
    /// </summary>
    public async Task<SidecarStartResult> StartAsync(CancellationToken cancellationToken = default)
    {
        var loaded = await _config.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (loaded.Outcome != ReloadOutcome.Applied)
        {
            return new SidecarStartResult { Started = false, Diagnostics = loaded.Diagnostics };
        }

        var state = _state!;
        _ca = MeshCa.LoadOrCreate(_options.MeshCaDirectory);
        Certificate = new WorkloadCertificate(_ca, _options.SpiffeId, _options.CertificateLifetime, _time);
        var forwarder = _services.GetRequiredService<IHttpForwarder>();

        var inbound = new InboundConnectionMiddleware(() => Volatile.Read(ref _state)!, _options.EffectiveWorkloadPort, Certificate,
            _ca.Root, _loggerFactory.CreateLogger<InboundConnectionMiddleware>());
        var handler = new InboundRequestHandler(() => Volatile.Read(ref _state)!, forwarder, _serviceClient, _options.Forward,
            _options.EffectiveWorkloadPort, _options.SpiffeId);
        // Plain text or mutual TLS first, then the HTTP/1 framing inspector on what the workload's side receives.
        InboundAddress = await StartListenerAsync(_options.Listen, next => inbound.Wrap(Http1FramingInspector.Watch(next)),
            handler.HandleAsync, cancellationToken).ConfigureAwait(false);

        if (_options.Outbound.Count > 0)
        {
            _meshClient = MeshClientTls.CreateClient(Certificate, _ca.Root);
            foreach (var route in _options.Outbound)
            {
                var outbound = new OutboundRequestHandler(forwarder, _meshClient, route.Target);
                _outboundAddresses.Add(await StartListenerAsync(route.Listen, null, outbound.HandleAsync, cancellationToken).ConfigureAwait(false));
            }
        }

        _config.Watch();
        LogStarted(_logger, _options.SpiffeId, InboundAddress, _options.Forward, state.PeerAuthentication.Mode);
        return new SidecarStartResult { Started = true, Diagnostics = loaded.Diagnostics };
    }

    /// <summary>Loads the config again and, when it is valid and changed, enforces it from the next request on.</summary>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default) => _config.ReloadAsync(cancellationToken);

    /// <inheritdoc />
    (SidecarState? Compiled, IReadOnlyList<Diagnostic> Findings) IReloadTarget<SidecarState>.Compile(ConfigLoadResult loaded, long version)
    {
        var workload = new WorkloadIdentity(_options.Namespace, _options.Labels);
        var security = WorkloadSecurityCompiler.Compile(loaded.Config, workload);
        if (security.HasErrors)
        {
            return (null, security.Diagnostics);
        }

        var state = new SidecarState
        {
            PeerAuthentication = PeerAuthentications.ForWorkload(loaded.Config, workload),
            Security = new ActiveSecurity(security, _jwks, _time),
            Version = version,
        };
        return (state, security.Diagnostics);
    }

    /// <inheritdoc />
    ReloadGuard? IReloadTarget<SidecarState>.Refuse(SidecarState serving, SidecarState next) => null;

    /// <inheritdoc />
    Task<IReadOnlyList<string>> IReloadTarget<SidecarState>.ApplyAsync(SidecarState compiled, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _state, compiled);
        return Task.FromResult<IReadOnlyList<string>>([]);
    }

    private async Task<IPEndPoint> StartListenerAsync(IPEndPoint address,
        Func<Microsoft.AspNetCore.Connections.ConnectionDelegate, Microsoft.AspNetCore.Connections.ConnectionDelegate>? connection,
        RequestDelegate handler, CancellationToken cancellationToken)
    {
        var (app, drain) = DrainableServer.Build(_loggerFactory, address, (listen, _) =>
        {
            listen.Protocols = HttpProtocols.Http1;
            if (connection is not null)
            {
                listen.Use(connection);
            }
        }, handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            drain.Dispose();
            throw new IOException($"cannot listen on {address}: {e.Message}", e);
        }

        _apps.Add((app, drain));
        return DrainableServer.BoundAddress(app, address);
    }

    /// <summary>
    /// Stops watching and drains every listener as the gateway does (no new connections, <c>connection: close</c> on
    /// each response, clients leave on their own); what is still open at the drain timeout is closed.
    /// </summary>
    public async Task StopAsync()
    {
        _config.StopWatching();
        await Task.WhenAll(_apps.Select(l => l.Drain.DrainAsync(l.App, _options.DrainTimeout))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var (app, drain) in _apps)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            drain.Dispose();
        }

        _apps.Clear();
        _meshClient?.Dispose();
        _serviceClient.Dispose();
        await _services.DisposeAsync().ConfigureAwait(false);
        _ca?.Dispose();
        _config.Dispose();
    }

    [LoggerMessage(EventId = LogEvents.SidecarStarted, Level = LogLevel.Information,
        Message = "Workload proxy for {Identity} listening on {Listen}, forwarding to {Forward} (mTLS mode {Mode})")]
    private static partial void LogStarted(ILogger logger, string identity, IPEndPoint listen, Uri forward, MtlsMode mode);
}

/// <summary>The outcome of starting a workload proxy.</summary>
public sealed record SidecarStartResult
{
    public required bool Started { get; init; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
}

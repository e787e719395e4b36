using System.Net;
using Ingress.Config.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Ingress.LocalGateway.Hosting.Listeners;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Runtime.Sidecar;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Snapshot.Security;

namespace Ingress.LocalGateway.Hosting.Sidecar;

/// <summary>
/// A local workload proxy, Istio's sidecar for one service: an inbound listener that enforces the workload's
/// PeerAuthentication, RequestAuthentications and AuthorizationPolicies and forwards to the service on loopback, plus
/// optional outbound listeners that carry the service's own calls into the mesh with mutual TLS. Its identity is a
/// SPIFFE certificate from the local mesh CA, re-issued at half its lifetime. The config is reloaded when the files
/// change; a config with errors is refused and the running one keeps being enforced.
/// </summary>
public sealed partial class SidecarHost : IAsyncDisposable
{
    private static readonly HttpClient JwksClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly SidecarOptions _options;
    private readonly IConfigSource _source;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ServiceProvider _services;
    private readonly HttpMessageInvoker _serviceClient;
    private readonly List<(WebApplication App, ConnectionDrain Drain)> _apps = [];
    private readonly List<IPEndPoint> _outboundAddresses = [];
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private SidecarState? _state;
    private MeshCa? _ca;
    private HttpMessageInvoker? _meshClient;
    private ConfigWatcher? _watcher;
    private string _fingerprint = "";
    private long _version;

    public SidecarHost(SidecarOptions options, IConfigSource source, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        _options = options;
        _source = source;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SidecarHost>();
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
        var loaded = _source.Load();
        var (state, findings) = Compile(loaded);
        if (state is null)
        {
            return new SidecarStartResult { Started = false, Diagnostics = findings };
        }

        Log(findings);
        Volatile.Write(ref _state, state);
        _fingerprint = loaded.Fingerprint;
        _ca = MeshCa.LoadOrCreate(_options.MeshCaDirectory);
        Certificate = new WorkloadCertificate(_ca, _options.SpiffeId, _options.CertificateLifetime, _time);
        var forwarder = _services.GetRequiredService<IHttpForwarder>();

        var inbound = new InboundConnectionMiddleware(() => Volatile.Read(ref _state)!, _options.EffectiveWorkloadPort, Certificate,
            _ca.Root, _loggerFactory.CreateLogger<InboundConnectionMiddleware>());
        var handler = new InboundRequestHandler(() => Volatile.Read(ref _state)!, forwarder, _serviceClient, _options.Forward,
            _options.EffectiveWorkloadPort, _options.SpiffeId);
        InboundAddress = await StartListenerAsync(_options.Listen, inbound.Wrap, handler.HandleAsync, cancellationToken).ConfigureAwait(false);

        if (_options.Outbound.Count > 0)
        {
            _meshClient = MeshClientTls.CreateClient(Certificate, _ca.Root);
            foreach (var route in _options.Outbound)
            {
                var outbound = new OutboundRequestHandler(forwarder, _meshClient, route.Target);
                _outboundAddresses.Add(await StartListenerAsync(route.Listen, null, outbound.HandleAsync, cancellationToken).ConfigureAwait(false));
            }
        }

        if (_source.WatchPaths.Count > 0)
        {
            _watcher = new ConfigWatcher(_source.WatchPaths, _options.ReloadDebounce, () => ReloadAsync(), _logger);
        }

        LogStarted(_logger, _options.SpiffeId, InboundAddress, _options.Forward, state.PeerAuthentication.Mode);
        return new SidecarStartResult { Started = true, Diagnostics = findings };
    }

    /// <summary>Loads the config again and, when it is valid and changed, enforces it from the next request on.</summary>
    public async Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = _source.Load();
            if (loaded.Fingerprint.Length > 0 && loaded.Fingerprint == _fingerprint)
            {
                return new ReloadResult { Outcome = ReloadOutcome.Unchanged };
            }

            var (state, findings) = Compile(loaded);
            if (state is null)
            {
                foreach (var finding in findings.Where(f => f.Severity == Severity.Error))
                {
                    LogRefused(_logger, finding.ToString());
                }

                return new ReloadResult { Outcome = ReloadOutcome.Refused, Diagnostics = findings };
            }

            Log(findings);
            Volatile.Write(ref _state, state);
            _fingerprint = loaded.Fingerprint;
            LogReloaded(_logger, state.Version);
            return new ReloadResult { Outcome = ReloadOutcome.Applied, Diagnostics = findings };
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private (SidecarState? State, IReadOnlyList<Diagnostic> Findings) Compile(ConfigLoadResult loaded)
    {
        if (loaded.HasErrors)
        {
            return (null, loaded.Diagnostics);
        }

        var workload = new WorkloadIdentity(_options.Namespace, _options.Labels);
        var security = WorkloadSecurity.Compile(loaded.Config, workload, JwksClient);
        var findings = loaded.Diagnostics.Concat(security.Diagnostics).ToList();
        if (security.HasErrors)
        {
            return (null, findings);
        }

        var state = new SidecarState
        {
            PeerAuthentication = PeerAuthenticationPolicy.ForWorkload(loaded.Config, workload),
            Security = security,
            Version = Interlocked.Increment(ref _version),
        };
        return (state, findings);
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

    private void Log(IEnumerable<Diagnostic> findings)
    {
        foreach (var finding in findings)
        {
            if (finding.Severity == Severity.Error)
            {
                LogRefused(_logger, finding.ToString());
            }
            else
            {
                LogFinding(_logger, finding.ToString());
            }
        }
    }

    /// <summary>
    /// Stops watching and drains every listener as the gateway does (no new connections, <c>connection: close</c> on
    /// each response, clients leave on their own); what is still open at the drain timeout is closed.
    /// </summary>
    public async Task StopAsync()
    {
        _watcher?.Dispose();
        _watcher = null;
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
        _reloadGate.Dispose();
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Workload proxy for {Identity} listening on {Listen}, forwarding to {Forward} (mTLS mode {Mode})")]
    private static partial void LogStarted(ILogger logger, string identity, IPEndPoint listen, Uri forward, MtlsMode mode);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Config reloaded: version {Version} is enforced")]
    private static partial void LogReloaded(ILogger logger, long version);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Config refused: {Finding}")]
    private static partial void LogRefused(ILogger logger, string finding);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Finding}")]
    private static partial void LogFinding(ILogger logger, string finding);
}

/// <summary>The outcome of starting a workload proxy.</summary>
public sealed record SidecarStartResult
{
    public required bool Started { get; init; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
}

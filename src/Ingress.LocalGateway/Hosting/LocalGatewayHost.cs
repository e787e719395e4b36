using System.Net;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Hosting.Admin;
using Ingress.LocalGateway.Hosting.Listeners;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Runtime;
using Ingress.LocalGateway.Runtime.AccessLog;
using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Runtime.Forwarding;
using Ingress.LocalGateway.Runtime.Metrics;
using Ingress.LocalGateway.Runtime.Policies;
using Ingress.LocalGateway.Runtime.Routing;
using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Runtime.Security.Jwt;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Runtime.Tracing;
using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Snapshot;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Hosting;

/// <summary>
/// The local ingress gateway: loads and compiles the config, binds a listener per Gateway port, serves requests
/// through the stage pipeline, runs the admin listener, and reloads when the files change.
/// </summary>
public sealed partial class LocalGatewayHost : IAsyncDisposable, IReloadTarget<ServingSnapshot>
{
    private readonly GatewayOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly UpstreamClientPool _clients;
    private readonly JwksCache _jwks = new();
    private readonly GatewayCompiler _compiler;
    private readonly MeshIdentity? _mesh;
    private readonly ListenerManager _listeners;
    private readonly AccessLogWriter? _accessLog;
    private readonly ServiceProvider _services;
    private readonly ReloadableConfig<ServingSnapshot> _config;
    private readonly GatewayTracer? _tracer;
    private AdminServer? _admin;

    public LocalGatewayHost(GatewayOptions options, IConfigSource source, ILoggerFactory loggerFactory, TextWriter? accessLogOutput = null)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LocalGatewayHost>();
        _mesh = options.MeshCaDirectory is null ? null : new MeshIdentity(options.MeshCaDirectory, options.MeshIdentity);
        _clients = new UpstreamClientPool(mesh: _mesh, dedicatedHttp1: options.UpstreamHttp1 == UpstreamHttp1Client.Dedicated);
        _compiler = new GatewayCompiler(options);
        _config = new ReloadableConfig<ServingSnapshot>(source, this, options.ReloadDebounce, _logger, "gateway");
        Metrics = new IstioMetrics(options.Namespace, options.Labels);
        var observers = new List<IRequestObserver>();
        if (options.AccessLog != AccessLogFormat.Off)
        {
            _accessLog = new AccessLogWriter(accessLogOutput ?? Console.Out, options.AccessLog);
            observers.Add(_accessLog);
        }

        _services = new ServiceCollection().AddSingleton(loggerFactory).AddLogging().AddHttpForwarder().BuildServiceProvider();
        var forwarder = _services.GetRequiredService<IHttpForwarder>();
        var stages = new List<IRequestStage> { new EdgeHeadersStage() };
        if (options.Tracing.Enabled)
        {
            _tracer = new GatewayTracer(options.Tracing, options);
            stages.Add(new TracingStage(_tracer));
        }

        stages.AddRange(
        [
            new GatewaySecurityStage(options.NumTrustedProxies),
            new RouteSelectionStage(),
            new FaultStage(),
            new CorsStage(),
            new LocalActionStage(),
            new ForwardingStage(forwarder, new RequestMirror(loggerFactory.CreateLogger<RequestMirror>()), loggerFactory.CreateLogger<ForwardingStage>()),
        ]);
        var pipeline = new RequestPipeline(Snapshots, stages, observers, loggerFactory.CreateLogger<RequestPipeline>(), Metrics,
            countBytes: _accessLog is not null || _tracer is not null);
        _listeners = new ListenerManager(Snapshots, pipeline, loggerFactory, options.DrainTimeout);
    }

    /// <summary>The snapshot being served.</summary>
    public SnapshotHolder Snapshots { get; } = new();

    /// <summary>The certificate the gateway presents to mesh workloads, or null without <c>--mesh-ca</c>.</summary>
    public WorkloadCertificate? MeshCertificate => _mesh?.Certificate;

    /// <summary>The request metrics.</summary>
    public IstioMetrics Metrics { get; }

    /// <summary>Where each Gateway port is bound.</summary>
    public IReadOnlyDictionary<int, IPEndPoint> ListenerAddresses => _listeners.BoundAddresses;

    /// <summary>Where the admin listener is bound, or null.</summary>
    public IPEndPoint? AdminAddress => _admin?.BoundAddress;

    /// <summary>Whether a config is loaded and every listener is bound (what <c>/ready</c> answers).</summary>
    public bool IsReady => Snapshots.HasConfig && _listeners.AllBound;

    /// <summary>
    /// Loads the config and starts serving. A config with errors, or a port that cannot be bound, fails the start with
    /// its findings (the caller prints them and exits).
    /// </summary>
    public async Task<GatewayStartResult> StartAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Admin is not null)
        {
            _admin = await AdminServer.StartAsync(_options.Admin, Snapshots, _listeners, Metrics, _loggerFactory, cancellationToken)
                .ConfigureAwait(false);
        }

        var loaded = await _config.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (loaded.Outcome != ReloadOutcome.Applied || loaded.BindErrors.Count > 0)
        {
            return new GatewayStartResult { Started = false, Diagnostics = loaded.Diagnostics, BindErrors = loaded.BindErrors };
        }

        _config.Watch();
        LogStarted(_logger, Snapshots.Current.Listeners.Count, Snapshots.Current.Version);
        return new GatewayStartResult { Started = true, Diagnostics = loaded.Diagnostics };
    }

    /// <summary>
    /// Loads the config again; if it is valid and changed, compiles it and swaps it in atomically. A config with errors
    /// is refused with its findings and the running one keeps serving.
    /// </summary>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default) => _config.ReloadAsync(cancellationToken);

    /// <inheritdoc />
    (ServingSnapshot? Compiled, IReadOnlyList<Diagnostic> Findings) IReloadTarget<ServingSnapshot>.Compile(ConfigLoadResult loaded, long version)
    {
        var snapshot = _compiler.Compile(loaded.Config, version);
        if (snapshot.Diagnostics.Any(d => d.Severity == Severity.Error))
        {
            return (null, snapshot.Diagnostics);
        }

        // The running state (clients, outlier detection, JWT keys) is taken over from the snapshot serving where a
        // cluster or issuer is unchanged; it is only made live by ApplyAsync.
        var serving = new ServingSnapshot(snapshot, _clients.Activate(snapshot.ClusterList), new ActiveSecurity(snapshot.Security, _jwks));
        return (serving, snapshot.Diagnostics);
    }

    /// <inheritdoc />
    ReloadGuard? IReloadTarget<ServingSnapshot>.Refuse(ServingSnapshot serving, ServingSnapshot next) =>
        serving.Snapshot.Listeners.Count > 0 && next.Snapshot.Listeners.Count == 0
            ? new ReloadGuard(ReloadCodes.NoListeners,
                "the config would remove every listener (no Gateway selecting this gateway's labels has a server)")
            : null;

    /// <inheritdoc />
    async Task<IReadOnlyList<string>> IReloadTarget<ServingSnapshot>.ApplyAsync(ServingSnapshot serving, CancellationToken cancellationToken)
    {
        Snapshots.Swap(serving);
        _clients.Sweep(serving.Clusters);
        return await _listeners.ApplyAsync(serving.Snapshot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops watching, drains the listeners (requests in flight finish) and closes everything.</summary>
    public async Task StopAsync()
    {
        _config.StopWatching();
        await _listeners.StopAsync().ConfigureAwait(false);
        if (_admin is not null)
        {
            await _admin.DisposeAsync().ConfigureAwait(false);
            _admin = null;
        }

        if (_accessLog is not null)
        {
            await _accessLog.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _listeners.DisposeAsync().ConfigureAwait(false);
        await _services.DisposeAsync().ConfigureAwait(false);
        // Shutting the tracer down exports the spans still batched.
        _tracer?.Dispose();
        _clients.Dispose();
        _mesh?.Dispose();
        _config.Dispose();
    }

    [LoggerMessage(EventId = LogEvents.GatewayStarted, Level = LogLevel.Information, Message = "Local gateway serving {Listeners} listener(s), config version {Version}")]
    private static partial void LogStarted(ILogger logger, int listeners, long version);
}

/// <summary>The outcome of starting the gateway.</summary>
public sealed record GatewayStartResult
{
    public required bool Started { get; init; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
    public IReadOnlyList<string> BindErrors { get; init; } = [];
}

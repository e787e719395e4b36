using System.Net;
using Ingress.Config.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Runtime.Tracing;
using Ingress.LocalGateway.Hosting.Admin;
using Ingress.LocalGateway.Runtime.AccessLog;
using Ingress.LocalGateway.Hosting.Listeners;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Runtime;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Runtime.Metrics;
using Ingress.LocalGateway.Runtime.Routing;
using Ingress.LocalGateway.Runtime.Forwarding;
using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Runtime.Policies;
using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Compile.Security;

namespace Ingress.LocalGateway.Hosting;

/// <summary>
/// The local ingress gateway: loads and compiles the config, binds a listener per Gateway port, serves requests
/// through the stage pipeline, runs the admin listener, and reloads when the files change.
/// </summary>
public sealed partial class LocalGatewayHost : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly IConfigSource _source;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly UpstreamClientPool _clients = new();
    private readonly GatewayCompiler _compiler;
    private readonly MeshUpstream? _mesh;
    private readonly ListenerManager _listeners;
    private readonly AccessLogWriter? _accessLog;
    private readonly ServiceProvider _services;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly GatewayTracer? _tracer;
    private AdminServer? _admin;
    private ConfigWatcher? _watcher;
    private string _fingerprint = "";
    private long _version;

    public LocalGatewayHost(GatewayOptions options, IConfigSource source, ILoggerFactory loggerFactory, TextWriter? accessLogOutput = null)
    {
        _options = options;
        _source = source;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LocalGatewayHost>();
        _mesh = options.MeshCaDirectory is null ? null : new MeshUpstream(options.MeshCaDirectory, options.MeshIdentity);
        _compiler = new GatewayCompiler(options, _clients, mesh: _mesh);
        Metrics = new IstioMetrics(options.Namespace, options.Labels);
        var observers = new List<IRequestObserver>();
        if (options.AccessLog != AccessLogFormat.Off)
        {
            _accessLog = new AccessLogWriter(accessLogOutput ?? Console.Out, options.AccessLog);
            observers.Add(_accessLog);
        }

        _services = new ServiceCollection().AddSingleton(loggerFactory).AddLogging().AddHttpForwarder().BuildServiceProvider();
        var forwarder = _services.GetRequiredService<IHttpForwarder>();
        var stages = new List<IRequestStage> { new RequestFramingStage(), new EdgeHeadersStage() };
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
    public WorkloadCertificate? MeshCertificate => _mesh?.Identity;

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

        var loaded = _source.Load();
        if (!loaded.HasErrors && loaded.Config.Resources.Count == 0)
        {
            // Nothing to serve: an empty file or folder, or a pipe from a command that failed. Started, it would
            // answer /ready with no listener at all.
            return new GatewayStartResult
            {
                Started = false,
                Diagnostics = [.. loaded.Diagnostics, EmptyConfig("the config holds no resources; give the files that hold the Gateway and its routes")],
            };
        }

        var (snapshot, findings) = Compile(loaded);
        if (snapshot is null)
        {
            return new GatewayStartResult { Started = false, Diagnostics = findings };
        }

        Log(findings);
        Snapshots.Swap(snapshot);
        _clients.Sweep(snapshot.Clusters.Values.Select(c => c.Runtime));
        _fingerprint = loaded.Fingerprint;
        var bindErrors = await _listeners.ApplyAsync(snapshot, cancellationToken).ConfigureAwait(false);
        if (bindErrors.Count > 0)
        {
            return new GatewayStartResult { Started = false, Diagnostics = findings, BindErrors = bindErrors };
        }

        if (_source.WatchPaths.Count > 0)
        {
            _watcher = new ConfigWatcher(_source.WatchPaths, _options.ReloadDebounce, () => ReloadAsync(), _logger);
        }

        LogStarted(_logger, snapshot.Listeners.Count, snapshot.Version);
        return new GatewayStartResult { Started = true, Diagnostics = findings };
    }

    /// <summary>
    /// Loads the config again; if it is valid and changed, compiles it and swaps it in atomically. A config with errors
    /// is refused with its findings and the running one keeps serving.
    /// </summary>
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

            var serving = Snapshots.Current;
            if (!loaded.HasErrors && serving.Listeners.Count > 0 && loaded.Config.Resources.Count == 0)
            {
                // A file rewritten in place (truncate, then write) reads empty for a moment; an empty config is valid
                // but would close every listener, so it is never taken for the user's intent.
                return Refuse(loaded.Diagnostics, ReloadCodes.EmptyConfig,
                    $"the config holds no resources (an empty or half-written file?); config version {serving.Version} " +
                    "keeps serving. To stop serving, stop the gateway");
            }

            var (snapshot, findings) = Compile(loaded);
            if (snapshot is null)
            {
                foreach (var finding in findings.Where(f => f.Severity == Severity.Error))
                {
                    LogRefused(_logger, finding.ToString());
                }

                return new ReloadResult { Outcome = ReloadOutcome.Refused, Diagnostics = findings };
            }

            if (serving.Listeners.Count > 0 && snapshot.Listeners.Count == 0)
            {
                return Refuse(findings, ReloadCodes.NoListeners,
                    $"the config would remove every listener (no Gateway selecting this gateway's labels has a server); " +
                    $"config version {serving.Version} keeps serving. To stop serving, stop the gateway");
            }

            Log(findings);
            Snapshots.Swap(snapshot);
            _clients.Sweep(snapshot.Clusters.Values.Select(c => c.Runtime));
            _fingerprint = loaded.Fingerprint;
            var bindErrors = await _listeners.ApplyAsync(snapshot, cancellationToken).ConfigureAwait(false);
            LogReloaded(_logger, snapshot.Version);
            return new ReloadResult { Outcome = ReloadOutcome.Applied, Diagnostics = findings, BindErrors = bindErrors };
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    private ReloadResult Refuse(IReadOnlyList<Diagnostic> findings, string code, string message)
    {
        var refusal = Refusal(code, message);
        LogRefused(_logger, refusal.ToString());
        return new ReloadResult { Outcome = ReloadOutcome.Refused, Diagnostics = [.. findings, refusal] };
    }

    private Diagnostic EmptyConfig(string message) => Refusal(ReloadCodes.EmptyConfig, message);

    private Diagnostic Refusal(string code, string message)
    {
        var paths = _source.WatchPaths;
        return new Diagnostic
        {
            Code = code,
            Severity = Severity.Error,
            Message = message,
            Location = paths.Count > 0 ? new Ingress.Config.Diagnostics.SourceLocation(string.Join(", ", paths), 0, 0) : Ingress.Config.Diagnostics.SourceLocation.None,
        };
    }

    private (GatewaySnapshot? Snapshot, IReadOnlyList<Diagnostic> Findings) Compile(ConfigLoadResult loaded)
    {
        if (loaded.HasErrors)
        {
            return (null, loaded.Diagnostics);
        }

        var snapshot = _compiler.Compile(loaded.Config, Interlocked.Increment(ref _version));
        var security = GatewaySecurityCompiler.CompileFor(snapshot, loaded.Config, _options);
        var findings = loaded.Diagnostics.Concat(snapshot.Diagnostics).Concat(security).ToList();
        return findings.Skip(loaded.Diagnostics.Count).Any(d => d.Severity == Severity.Error) ? (null, findings) : (snapshot, findings);
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

    /// <summary>Stops watching, drains the listeners (requests in flight finish) and closes everything.</summary>
    public async Task StopAsync()
    {
        _watcher?.Dispose();
        _watcher = null;
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
        _reloadGate.Dispose();
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Local gateway serving {Listeners} listener(s), config version {Version}")]
    private static partial void LogStarted(ILogger logger, int listeners, long version);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Config reloaded: version {Version} is serving")]
    private static partial void LogReloaded(ILogger logger, long version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Config refused: {Finding}")]
    private static partial void LogRefused(ILogger logger, string finding);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Finding}")]
    private static partial void LogFinding(ILogger logger, string finding);
}

/// <summary>The outcome of starting the gateway.</summary>
public sealed record GatewayStartResult
{
    public required bool Started { get; init; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
    public IReadOnlyList<string> BindErrors { get; init; } = [];
}

/// <summary>What a reload did.</summary>
public enum ReloadOutcome
{
    Applied,
    Unchanged,
    Refused,
}

/// <summary>The outcome of a reload with its findings.</summary>
public sealed record ReloadResult
{
    public required ReloadOutcome Outcome { get; init; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
    public IReadOnlyList<string> BindErrors { get; init; } = [];
}

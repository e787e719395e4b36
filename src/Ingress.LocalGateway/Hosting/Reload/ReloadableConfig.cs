using Ingress.Config.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Hosting.Reload;

/// <summary>
/// The config a proxy serves (the gateway's snapshot, a workload proxy's state), loaded from its source, compiled, and
/// reloaded when the files change, with the same refusals for every proxy: a config the loader, the validator or the
/// compiler finds errors in, a config that holds no resource (at start: nothing to serve; while a non-empty one is
/// serving: a file rewritten in place reads empty for a moment), a config that changed while it was read, and whatever the proxy's own guard
/// refuses. A refused config never replaces the one serving; a later good one still applies.
/// </summary>
/// <typeparam name="T">What the proxy compiles a config into.</typeparam>
public sealed partial class ReloadableConfig<T> : IDisposable where T : class
{
    private readonly IConfigSource _source;
    private readonly IReloadTarget<T> _target;
    private readonly TimeSpan _debounce;
    private readonly ILogger _logger;
    private readonly string _proxy;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConfigWatcher? _watcher;
    private string _fingerprint = "";
    private bool _servingHasResources;
    private long _version;

    /// <param name="source">Where the config is read from.</param>
    /// <param name="target">The proxy that compiles and applies it.</param>
    /// <param name="debounce">How long changes must be quiet before a reload.</param>
    /// <param name="logger">For refusals, findings and reloads.</param>
    /// <param name="proxy">What the proxy is called in messages ("gateway", "workload proxy").</param>
    public ReloadableConfig(IConfigSource source, IReloadTarget<T> target, TimeSpan debounce, ILogger logger, string proxy)
    {
        _proxy = proxy;
        _source = source;
        _target = target;
        _debounce = debounce;
        _logger = logger;
    }

    /// <summary>What is served now, or null before the first config applied.</summary>
    public T? Current { get; private set; }

    /// <summary>Loads and applies the first config; refused means the proxy must not start.</summary>
    public Task<ReloadResult> LoadAsync(CancellationToken cancellationToken = default) => RunAsync(first: true, cancellationToken);

    /// <summary>Loads the config again; applies it when it changed and nothing refuses it.</summary>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken = default) => RunAsync(first: false, cancellationToken);

    /// <summary>Reloads whenever the watched files have been quiet for the debounce time after a change.</summary>
    public void Watch()
    {
        if (_source.WatchPaths.Count > 0 && _watcher is null)
        {
            _watcher = new ConfigWatcher(_source.WatchPaths, _debounce, () => ReloadAsync(), _logger);
        }
    }

    private async Task<ReloadResult> RunAsync(bool first, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = _source.Load();
            if (!first && loaded.Fingerprint.Length > 0 && loaded.Fingerprint == _fingerprint)
            {
                return new ReloadResult { Outcome = ReloadOutcome.Unchanged };
            }

            if (loaded.HasErrors)
            {
                return Refused(loaded.Diagnostics);
            }

            if (!first && _servingHasResources && loaded.Config.Resources.Count == 0)
            {
                return Refused(loaded.Diagnostics, ReloadCodes.EmptyConfig,
                    "the config holds no resources (an empty or half-written file?)");
            }

            if (first && loaded.Config.Resources.Count == 0)
            {
                // Nothing to serve at all: an empty file or folder, or a pipe from a command that failed. Started, the
                // proxy would report ready with nothing behind it.
                return Refused(loaded.Diagnostics, ReloadCodes.EmptyConfig, "the config holds no resources, so there is nothing to serve");
            }

            var version = _version + 1;
            var (compiled, findings) = _target.Compile(loaded, version);
            IReadOnlyList<Diagnostic> all = [.. loaded.Diagnostics, .. findings];
            if (compiled is null || findings.Any(d => d.Severity == Severity.Error))
            {
                return Refused(all);
            }

            if (Current is { } serving && _target.Refuse(serving, compiled) is { } guard)
            {
                return Refused(all, guard.Code, guard.Reason);
            }

            foreach (var finding in all)
            {
                LogFinding(_logger, finding.ToString());
            }

            var bindErrors = await _target.ApplyAsync(compiled, cancellationToken).ConfigureAwait(false);
            Current = compiled;
            _version = version;
            _fingerprint = loaded.Fingerprint;
            _servingHasResources = loaded.Config.Resources.Count > 0;
            if (!first)
            {
                LogReloaded(_logger, version);
            }

            return new ReloadResult { Outcome = ReloadOutcome.Applied, Diagnostics = all, BindErrors = bindErrors };
        }
        finally
        {
            _gate.Release();
        }
    }

    private ReloadResult Refused(IReadOnlyList<Diagnostic> findings, string? code = null, string? reason = null)
    {
        if (code is not null)
        {
            var message = Current is null ? $"{reason}; the {_proxy} does not start"
                : $"{reason}; config version {_version} keeps serving. To stop serving, stop the {_proxy}";
            var paths = _source.WatchPaths;
            findings =
            [
                .. findings,
                new Diagnostic
                {
                    Code = code,
                    Severity = Severity.Error,
                    Message = message,
                    Location = paths.Count > 0 ? new SourceLocation(string.Join(", ", paths), 0, 0) : SourceLocation.None,
                },
            ];
        }

        foreach (var finding in findings.Where(f => f.Severity == Severity.Error))
        {
            LogRefused(_logger, finding.ToString());
        }

        return new ReloadResult { Outcome = ReloadOutcome.Refused, Diagnostics = findings };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _gate.Dispose();
    }

    /// <summary>Stops watching the files (the proxy is stopping).</summary>
    public void StopWatching()
    {
        _watcher?.Dispose();
        _watcher = null;
    }

    [LoggerMessage(EventId = LogEvents.ConfigReloaded, Level = LogLevel.Information, Message = "Config reloaded: version {Version} is serving")]
    private static partial void LogReloaded(ILogger logger, long version);

    [LoggerMessage(EventId = LogEvents.ConfigRefused, Level = LogLevel.Error, Message = "Config refused: {Finding}")]
    private static partial void LogRefused(ILogger logger, string finding);

    [LoggerMessage(EventId = LogEvents.ConfigFinding, Level = LogLevel.Warning, Message = "{Finding}")]
    private static partial void LogFinding(ILogger logger, string finding);
}

/// <summary>What a proxy does with its config: compile it, guard against replacing the one serving, apply it.</summary>
/// <typeparam name="T">What the config compiles into.</typeparam>
public interface IReloadTarget<T> where T : class
{
    /// <summary>Compiles a loaded config (without errors); null or an error finding refuses it.</summary>
    (T? Compiled, IReadOnlyList<Diagnostic> Findings) Compile(ConfigLoadResult loaded, long version);

    /// <summary>Why <paramref name="next"/> must not replace <paramref name="serving"/>, or null.</summary>
    ReloadGuard? Refuse(T serving, T next);

    /// <summary>Starts serving <paramref name="compiled"/>; returns the addresses that could not be bound.</summary>
    Task<IReadOnlyList<string>> ApplyAsync(T compiled, CancellationToken cancellationToken);
}

/// <summary>A proxy's own reason to refuse a valid config, with its code.</summary>
public sealed record ReloadGuard(string Code, string Reason);

/// <summary>What a reload did.</summary>
public enum ReloadOutcome
{
    Applied,
    Unchanged,
    Refused,
}

/// <summary>The outcome of a load or reload with its findings.</summary>
public sealed record ReloadResult
{
    public required ReloadOutcome Outcome { get; init; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];
    public IReadOnlyList<string> BindErrors { get; init; } = [];
}

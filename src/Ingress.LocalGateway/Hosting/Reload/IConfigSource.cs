using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.LocalGateway.Hosting.Reload;

/// <summary>Where the gateway's configuration comes from (the -f files, or a config built in code).</summary>
public interface IConfigSource
{
    /// <summary>Files and directories to watch for changes; empty when nothing is watched.</summary>
    IReadOnlyList<string> WatchPaths { get; }

    /// <summary>Loads and validates the configuration.</summary>
    ConfigLoadResult Load();
}

/// <summary>A loaded configuration with every finding of the loader and validator.</summary>
public sealed record ConfigLoadResult
{
    public required ConfigSet Config { get; init; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>Identifies the content, so a change event that changed nothing is not reloaded.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>Whether an error makes this configuration unusable (Istio's webhook would reject it).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
}

/// <summary>A configuration given in code (tests, embedding).</summary>
public sealed class StaticConfigSource : IConfigSource
{
    private ConfigLoadResult _current;
    private int _generation;

    public StaticConfigSource(ConfigSet config) => _current = Wrap(new ConfigLoadResult { Config = config });

    /// <inheritdoc />
    public IReadOnlyList<string> WatchPaths => [];

    /// <summary>Replaces what the next <see cref="Load"/> returns.</summary>
    public void Set(ConfigLoadResult result) => Volatile.Write(ref _current, Wrap(result));

    /// <summary>Replaces the configuration the next <see cref="Load"/> returns.</summary>
    public void Set(ConfigSet config) => Set(new ConfigLoadResult { Config = config });

    /// <inheritdoc />
    public ConfigLoadResult Load() => Volatile.Read(ref _current);

    private ConfigLoadResult Wrap(ConfigLoadResult result) =>
        result with { Fingerprint = Interlocked.Increment(ref _generation).ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Hosting.Reload;

/// <summary>
/// Watches the config files and directories and calls back once changes have been quiet for the debounce time
/// (editors write a file in several steps; a kubectl-style apply touches many).
/// </summary>
public sealed partial class ConfigWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _timer;
    private readonly TimeSpan _debounce;
    private readonly ILogger _logger;

    public ConfigWatcher(IReadOnlyList<string> paths, TimeSpan debounce, Func<Task> onChange, ILogger logger)
    {
        _debounce = debounce;
        _logger = logger;
        _timer = new Timer(_ => _ = Fire(onChange), null, Timeout.Infinite, Timeout.Infinite);
        foreach (var path in paths.Where(p => p != "-"))
        {
            var full = Path.GetFullPath(path);
            FileSystemWatcher watcher;
            if (Directory.Exists(full))
            {
                watcher = new FileSystemWatcher(full) { IncludeSubdirectories = true };
            }
            else
            {
                var directory = Path.GetDirectoryName(full)!;
                watcher = new FileSystemWatcher(directory, Path.GetFileName(full));
            }

            watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName;
            watcher.Changed += OnEvent;
            watcher.Created += OnEvent;
            watcher.Deleted += OnEvent;
            watcher.Renamed += OnEvent;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    private void OnEvent(object sender, FileSystemEventArgs e) => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);

    private async Task Fire(Func<Task> onChange)
    {
        try
        {
            await onChange().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogReloadCrashed(_logger, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _timer.Dispose();
    }

    [LoggerMessage(EventId = LogEvents.ReloadCrashed, Level = LogLevel.Error, Message = "Config reload failed unexpectedly; the running config keeps serving")]
    private static partial void LogReloadCrashed(ILogger logger, Exception exception);
}

using System.Diagnostics;

namespace Ingress.Cli.LocalSystem;

/// <summary>
/// A running part of the local system. It is started in a session (and so a process group) of its own, so a terminal's
/// Ctrl-C reaches only <c>ingress up</c>, which then stops each part in order: SIGTERM to the group, and SIGKILL to the
/// group if it has not exited in time. Nothing the part started itself is left behind.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 40;

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Queue<string> tail = new();
    private readonly Lock gate = new();
    private readonly bool ownGroup;
    private readonly Action<string, string>? echo;

    private ChildProcess(ChildProcessSpec spec, Process process, StreamWriter log, bool ownGroup, Action<string, string>? echo)
    {
        Spec = spec;
        this.process = process;
        this.log = log;
        this.ownGroup = ownGroup;
        this.echo = echo;
    }

    /// <summary>What was started.</summary>
    public ChildProcessSpec Spec { get; }

    /// <summary>The part's name.</summary>
    public string Name => Spec.Name;

    /// <summary>The process id (also its process group id when setsid was available).</summary>
    public int Id => process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Starts the program; <paramref name="echo"/>, when given, also receives each output line (name, line).</summary>
    public static ChildProcess Start(ChildProcessSpec spec, Action<string, string>? echo = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // setsid(1) execs the program in place (same pid) as leader of a new session and process group.
        var setsid = OperatingSystem.IsWindows() ? null : Executables.FindOnPath("setsid");
        var start = new ProcessStartInfo(setsid ?? spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add(spec.FileName);
        }

        foreach (var argument in spec.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(spec.LogPath)!);
        var log = new StreamWriter(spec.LogPath, append: false) { AutoFlush = true };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LocalSystemException($"{spec.Name}: could not start {spec.FileName}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            log.Dispose();
            throw new LocalSystemException($"{spec.Name}: could not start {spec.FileName}: {ex.Message}", ex);
        }

        var child = new ChildProcess(spec, process, log, setsid is not null, echo);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>After the part exited: waits (briefly) until its last output has been read, so <see cref="Tail"/> is complete.</summary>
    public async Task DrainOutputAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            // The parameterless wait also waits for the end of the redirected output.
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Something the part started still holds its output open; what was read so far has to do.
        }
    }

    /// <summary>The last lines the part printed (for a message when it fails to start).</summary>
    public string Tail()
    {
        lock (gate)
        {
            return string.Join('\n', tail);
        }
    }

    /// <summary>
    /// Asks the part to stop (SIGTERM to its group) and kills the group if it has not exited within
    /// <paramref name="timeout"/>. Returns once the process has exited: its output is read for one more second at most,
    /// because a process that left the group (its own setsid) can hold the output pipe open forever, and waiting for
    /// the end of that output kept <c>ingress up</c> from exiting.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            Signal(NativeMethods.SIGTERM);
            if (!await ExitedWithinAsync(timeout).ConfigureAwait(false))
            {
                Signal(NativeMethods.SIGKILL);
                await ExitedWithinAsync(Timeout.InfiniteTimeSpan).ConfigureAwait(false);
            }

            await DrainOutputAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        else if (ownGroup)
        {
            // The leader is gone, but something it started may still hold the group.
            _ = NativeMethods.Kill(-process.Id, NativeMethods.SIGKILL);
        }
    }

    /// <summary>
    /// Whether the process exited within <paramref name="timeout"/>. Unlike <see cref="Process.WaitForExitAsync"/>,
    /// this does not also wait for the end of the redirected output.
    /// </summary>
    private async Task<bool> ExitedWithinAsync(TimeSpan timeout)
    {
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult();
        if (process.HasExited)
        {
            return true;
        }

        try
        {
            await exited.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Stops the part (10 s grace) and releases the log file.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        process.Dispose();
        lock (gate)
        {
            log.Dispose();
        }
    }

    private void Signal(int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        var target = ownGroup ? -process.Id : process.Id;
        if (NativeMethods.Kill(target, signal) != 0 && !process.HasExited && signal == NativeMethods.SIGKILL)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            tail.Enqueue(line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }

        echo?.Invoke(Name, line);
    }
}

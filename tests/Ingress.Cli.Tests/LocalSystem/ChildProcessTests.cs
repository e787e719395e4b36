using Ingress.Cli.LocalSystem;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>Parts of the local system are stopped with everything they started: no orphans.</summary>
public sealed class ChildProcessTests
{
    [Fact]
    public async Task Stopping_a_part_also_ends_the_processes_it_started()
    {
        using var state = new TempDirectory();
        var pidFile = Path.Combine(state.Path, "grandchild.pid");
        // The shell ignores SIGTERM, so only the group kill after the timeout can end it and its grandchild.
        var part = ChildProcess.Start(new ChildProcessSpec
        {
            Name = "shell",
            FileName = "/bin/sh",
            Arguments = ["-c", $"trap '' TERM; sleep 300 & echo $! > {pidFile}; echo started; wait"],
            WorkingDirectory = state.Path,
            LogPath = Path.Combine(state.Path, "shell.log"),
        });
        await using (part)
        {
            var grandchild = await PollAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0
                ? int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : (int?)null);
            Assert.True(Directory.Exists($"/proc/{grandchild}"));

            await part.StopAsync(TimeSpan.FromMilliseconds(500));

            Assert.True(part.HasExited);
            var gone = await PollAsync(() => Directory.Exists($"/proc/{grandchild}") && !IsZombie(grandchild) ? null : (int?)1);
            Assert.Equal(1, gone);
        }
    }

    /// <summary>
    /// Issue 14, the flaky `ingress up` stop: waiting for the end of a part's output after killing it never ended while
    /// any process outside the part's group still held the output pipe, so `up` did not exit.
    /// </summary>
    [Fact]
    public async Task Stopping_a_part_does_not_wait_for_output_a_process_outside_its_group_holds_open()
    {
        using var state = new TempDirectory();
        var pidFile = Path.Combine(state.Path, "escaped.pid");
        // The grandchild starts a session of its own (so the group kill cannot reach it) and keeps the part's stdout.
        var part = ChildProcess.Start(new ChildProcessSpec
        {
            Name = "daemonizing",
            FileName = "/bin/sh",
            Arguments = ["-c", $"trap '' TERM; setsid sleep 120 & echo $! > {pidFile}; echo started; wait"],
            WorkingDirectory = state.Path,
            LogPath = Path.Combine(state.Path, "daemonizing.log"),
        });
        int? escaped = null;
        try
        {
            await using (part)
            {
                escaped = await PollAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0
                    ? int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture)
                    : (int?)null);

                var stop = part.StopAsync(TimeSpan.FromMilliseconds(500));

                Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(30))));
                Assert.True(part.HasExited);
            }
        }
        finally
        {
            if (escaped is { } pid)
            {
                _ = NativeMethods.Kill(pid, NativeMethods.SIGKILL);
            }
        }
    }

    [Fact]
    public async Task A_part_that_exits_at_once_is_reported_with_its_last_output()
    {
        using var state = new TempDirectory();
        var part = ChildProcess.Start(new ChildProcessSpec
        {
            Name = "broken",
            FileName = "/bin/sh",
            Arguments = ["-c", "echo 'listen failed: address in use' >&2; exit 3"],
            WorkingDirectory = state.Path,
            LogPath = Path.Combine(state.Path, "broken.log"),
        });
        await using (part)
        {
            using var http = new HttpClient();
            var error = await Assert.ThrowsAsync<LocalSystemException>(() => Readiness.WaitAsync(
                http, part, new Uri("http://127.0.0.1:9/"), DateTimeOffset.UtcNow.AddSeconds(30), TimeProvider.System, CancellationToken.None));

            Assert.Equal(
                $"broken exited with code 3 before it was ready. Its last output ({part.Spec.LogPath}):\n    listen failed: address in use",
                error.Message);
        }
    }

    private static async Task<int> PollAsync(Func<int?> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("condition not met within 15 s");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z";
        }
        catch (IOException)
        {
            return true;
        }
    }
}

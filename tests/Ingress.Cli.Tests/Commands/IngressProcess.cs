using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.Commands;

/// <summary>
/// The <c>ingress</c> program as a separate process, run from the clone's root, as a script or a user runs it:
/// <c>dotnet ingress.dll</c>, or the executable INGRESS_EXECUTABLE names (a published native binary).
/// </summary>
internal sealed class IngressProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Action<IngressProcess, string>? _onLine;

    private IngressProcess(string[] args, Action<IngressProcess, string>? onLine)
    {
        _onLine = onLine;
        var executable = Environment.GetEnvironmentVariable("INGRESS_EXECUTABLE");
        var start = WithDefaultSignals(string.IsNullOrEmpty(executable) ? [Executables.DotnetHost(), typeof(CliApp).Assembly.Location] : [executable]);
        start.WorkingDirectory = RepositoryPaths.RepositoryRoot;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start ingress");
        _process.OutputDataReceived += (_, e) => OnLine(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Arguments => string.Join(' ', _process.StartInfo.ArgumentList.SkipWhile(a => a != typeof(CliApp).Assembly.Location).Skip(1));

    /// <summary>
    /// Runs <paramref name="command"/> with SIGINT and SIGQUIT at their default disposition, as a shell runs a command
    /// in the foreground, where Ctrl+C reaches it. A test run started as a background job of a script inherits both
    /// ignored (POSIX asks that of asynchronous lists), exec keeps them ignored, and .NET then never handles SIGINT
    /// ("we respect ignored signals", System.Native pal_signal.c), so a test sending Ctrl+C to ingress would wait for
    /// ever. perl is part of every Debian and Ubuntu system (perl-base is essential).
    /// </summary>
    public static ProcessStartInfo WithDefaultSignals(IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo("perl") { UseShellExecute = false };
        foreach (var argument in (string[])["-e", "$SIG{INT} = $SIG{QUIT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"$ARGV[0]: $!\\n\"", "--", .. command])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts ingress; <paramref name="onLine"/> sees every line of stdout and stderr as it comes.</summary>
    public static IngressProcess Start(string[] args, Action<IngressProcess, string>? onLine = null) => new(args, onLine);

    /// <summary>Runs ingress to its end with <paramref name="stdin"/> as standard input.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string stdin = "",
        Action<IngressProcess, string>? onLine = null)
    {
        using var process = Start(args, onLine);
        await process.WriteInputAsync(stdin);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
        return (code, process.Output, process.Error);
    }

    public async Task WriteInputAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        _process.StandardInput.Close();
    }

    /// <summary>Sends a signal (INT for Ctrl+C, TERM) to the process.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("/bin/kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The exit code, failing the test when the process has not ended within <paramref name="deadline"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var wait = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"ingress {Arguments} did not exit within {deadline.TotalSeconds} s:\n{Output}{Error}");
        }

        return _process.ExitCode;
    }

    /// <summary>A TCP port free on 127.0.0.1 a moment ago.</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Polls a gateway's admin <c>/ready</c> until it answers 200 (failing after 60 s with its log).</summary>
    public async Task WaitUntilReadyAsync(HttpClient client, int adminPort)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{adminPort}/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"ingress {Arguments} was not ready within 60 s:\n{Error}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void OnLine(StringBuilder into, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (into)
        {
            into.Append(line).Append('\n');
        }

        _onLine?.Invoke(this, line);
    }
}

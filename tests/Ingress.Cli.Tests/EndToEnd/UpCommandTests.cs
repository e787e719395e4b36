using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.DeployKit;
using Ingress.Cli.Tests.LocalSystem;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>
/// The README's first command as a user runs it: the `ingress up` process itself, its printed output, and Ctrl+C
/// (SIGINT) stopping every process it started and freeing the ports.
/// </summary>
[Collection(LocalSystemGroup.Name)]
public sealed partial class UpCommandTests
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Up_serves_hello_over_verified_tls_and_ctrl_c_stops_every_part_and_frees_the_ports()
    {
        using var state = new TempDirectory();
        using var up = StartUp(state.Path);
        var output = new OutputLines(up);
        try
        {
            var printed = await output.WaitForAsync(l => l.StartsWith("Press Ctrl+C", StringComparison.Ordinal), StartDeadline);
            Assert.True(printed, $"`ingress up` did not print its instructions within {StartDeadline.TotalSeconds} s:\n{output}");

            var httpsPort = PrintedPort(output.Lines, HttpsCurl());
            var httpPort = PrintedPort(output.Lines, HttpCurl());
            var parts = Descendants(up.Id);
            Assert.True(parts.Count >= 6, $"expected the viewer-less system's 6 parts (5 service instances, the gateway), found {parts.Count}");

            using (var client = VerifyingClient(Path.Combine(state.Path, "ca.crt")))
            {
                using var response = await client.GetAsync(new Uri($"https://{LocalCertificateAuthority.GatewayHost}:{httpsPort}/test/hello"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
            }

            Signal(up.Id, "INT");
            using var stop = new CancellationTokenSource(StopDeadline);
            try
            {
                await up.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                var running = parts.Where(IsRunning).ToList();
                throw new Xunit.Sdk.XunitException(
                    $"`ingress up` had not exited {StopDeadline.TotalSeconds} s after Ctrl+C (exited: {up.HasExited}; parts still " +
                    $"running: {(running.Count == 0 ? "none" : string.Join(", ", running))}):\n{output}");
            }

            Assert.Equal(0, up.ExitCode);
            Assert.Contains("up: stopped.", output.Lines);
            foreach (var pid in parts)
            {
                Assert.True(
                    await Eventually(() => !IsRunning(pid), StopDeadline),
                    $"process {pid} started by `ingress up` is still running after Ctrl+C");
            }

            Assert.False(Accepts(httpsPort), $"127.0.0.1:{httpsPort} (HTTPS) still accepts connections after Ctrl+C");
            Assert.False(Accepts(httpPort), $"127.0.0.1:{httpPort} (HTTP) still accepts connections after Ctrl+C");
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill(entireProcessTree: true);
            }
        }
    }

    private static Process StartUp(string stateDirectory)
    {
        // Ctrl+C must reach `up` as it does in a terminal, even when this test run was started in the background.
        var start = Commands.IngressProcess.WithDefaultSignals([Executables.DotnetHost()]);
        start.WorkingDirectory = RepositoryPaths.RepositoryRoot;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var argument in new[]
                 {
                     typeof(CliApp).Assembly.Location, "up", "--state-dir", stateDirectory,
                     "--https-port", "0", "--http-port", "0", "--no-dashboard",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start `ingress up`");
    }

    private static int PrintedPort(IReadOnlyList<string> lines, Regex pattern)
    {
        foreach (var line in lines)
        {
            var match = pattern.Match(line);
            if (match.Success)
            {
                return int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"no line matches {pattern} in:\n{string.Join('\n', lines)}");
    }

    [GeneratedRegex(@"curl --resolve httpsserver\.kuopenx\.io:(?<port>\d+):127\.0\.0\.1 --cacert \S+ https://httpsserver\.kuopenx\.io:\k<port>/test/hello$")]
    private static partial Regex HttpsCurl();

    [GeneratedRegex(@"curl -i --resolve httpsserver\.kuopenx\.io:(?<port>\d+):127\.0\.0\.1 http://httpsserver\.kuopenx\.io:\k<port>/test/hello ")]
    private static partial Regex HttpCurl();

    /// <summary>Every process below <paramref name="root"/>, read from /proc (the parts run in their own sessions).</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while the folder was listed.
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            var parent = queue.Dequeue();
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent)
                {
                    found.Add(pid);
                    queue.Enqueue(pid);
                }
            }
        }

        return found;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("/bin/kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static bool Accepts(int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> Eventually(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    private static HttpClient VerifyingClient(string caPath)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                // curl --resolve: the name goes into SNI and Host, the connection goes to 127.0.0.1.
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    CustomTrustStore = { ca },
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The lines a process wrote on stdout and stderr, collected as they arrive.</summary>
    private sealed class OutputLines
    {
        private readonly List<string> _lines = [];

        public OutputLines(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.Select(l => l.Trim()).ToList();
                }
            }
        }

        public Task<bool> WaitForAsync(Func<string, bool> predicate, TimeSpan within) =>
            Eventually(() => Lines.Any(predicate), within);

        public override string ToString() => string.Join('\n', Lines);

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}

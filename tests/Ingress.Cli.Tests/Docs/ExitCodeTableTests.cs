using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Ingress.Cli.Tests.Commands;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.Docs;

/// <summary>
/// Every exit code in docs/cli.md's table, produced by the real <c>ingress</c> process (as a script sees it), and
/// nothing else: a code documented but not produced, or produced but not documented, fails. The process is
/// <c>dotnet ingress.dll</c>, or the executable named by INGRESS_EXECUTABLE (a published native binary). In the local
/// system's collection: its `ingress up` must not run beside UpCommandTests' (both want the default admin port).
/// </summary>
[Collection(EndToEnd.LocalSystemGroup.Name)]
public sealed partial class ExitCodeTableTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("exit-codes").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IReadOnlyList<int> DocumentedCodes()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "cli.md"));
        var section = doc[doc.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return TableRow().Matches(section).Select(m => int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture)).ToList();
    }

    [Fact]
    public void The_table_in_docs_is_the_one_in_ExitCodes()
    {
        var constants = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (int)f.GetRawConstantValue()!).Order().ToList();

        Assert.Equal([0, 1, 64, 65, 79, 130], DocumentedCodes());
        Assert.Equal(DocumentedCodes(), constants);
    }

    [Fact]
    public async Task Code_0_validate_of_the_seed_in_its_namespace()
    {
        var run = await RunAsync(["validate", "-n", "istio-system", "tests/fixtures/seed"]);

        Assert.Equal(0, run.Code);
    }

    [Fact]
    public async Task Code_0_gateway_stopped_by_sigterm_while_a_client_keeps_its_connection_open()
    {
        var file = Path.Combine(_dir, "web.yaml");
        await File.WriteAllTextAsync(file, Gateway.GatewayCommandTests.DirectResponseYaml);
        var (port, admin) = (IngressProcess.FreePort(), IngressProcess.FreePort());
        using var gateway = IngressProcess.Start(["gateway", "-f", file, "--listen", $"80=127.0.0.1:{port}", "--admin", $"127.0.0.1:{admin}"]);
        using var client = new HttpClient();
        await gateway.WaitUntilReadyAsync(client, admin);

        // The client keeps its keep-alive connection: the drain waits for it (up to 5 s), then closes it.
        Assert.Equal("hi there", await client.GetStringAsync($"http://127.0.0.1:{port}/hi"));
        gateway.Signal("TERM");

        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Gateway port 80 drained (1 connection(s) still open at the end were closed)", gateway.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_1_gateway_whose_port_is_taken()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var file = Path.Combine(_dir, "web.yaml");
        await File.WriteAllTextAsync(file, Gateway.GatewayCommandTests.DirectResponseYaml);

        var run = await RunAsync(["gateway", "-f", file, "--listen", $"80=127.0.0.1:{port}", "--admin", "127.0.0.1:0"]);

        Assert.Equal(1, run.Code);
        Assert.Contains("error: the gateway could not listen; use --listen <port>=<ip:port> to choose another address", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_0_explain_of_a_request_the_gateway_forwards()
    {
        var run = await RunAsync(["explain", "-n", "istio-system", "-f", "tests/fixtures/seed/httpserver-virtualservice-gateway.yaml",
            "-f", "tests/fixtures/explain/secret-istio-system.yaml", "--endpoint", "httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:5080",
            "GET https://httpsserver.kuopenx.io/test/hello"]);

        Assert.Equal(0, run.Code);
        Assert.Contains("forwarded to 127.0.0.1:5080", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_1_explain_of_a_request_no_route_takes()
    {
        var run = await RunAsync(["explain", "-n", "istio-system", "-f", "tests/fixtures/seed/httpserver-virtualservice-gateway.yaml",
            "-f", "tests/fixtures/explain/secret-istio-system.yaml", "GET https://httpsserver.kuopenx.io/test/hello/"]);

        Assert.Equal(1, run.Code);
        Assert.Contains("local reply 404 NR (route_not_found), not forwarded", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_64_an_unknown_option()
    {
        var run = await RunAsync(["analyze", "--bogus", "tests/fixtures/seed"]);

        Assert.Equal(64, run.Code);
    }

    [Fact]
    public async Task Code_65_empty_standard_input()
    {
        var run = await RunAsync(["analyze", "-"]);

        Assert.Equal(65, run.Code);
        Assert.Contains("no resources in the input", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_79_findings_at_error()
    {
        var run = await RunAsync(["analyze", "tests/fixtures/seed"]);

        Assert.Equal(79, run.Code);
    }

    [Fact]
    public async Task Code_130_up_stopped_by_ctrl_c_while_starting()
    {
        var run = await RunAsync(
            ["up", "--state-dir", Path.Combine(_dir, "state"), "--https-port", "0", "--http-port", "0", "--no-dashboard"],
            interruptWhen: line => line.StartsWith("up: ", StringComparison.Ordinal));

        Assert.Equal(130, run.Code);
        Assert.Contains("ingress up: stopped while starting.", run.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 14's flaky `up` test: a test run started in the background passed SIGINT ignored on to `ingress up`, which
    /// then never saw the test's Ctrl+C. `up` now says so at once, and stops on SIGTERM as it says.
    /// </summary>
    [Fact]
    public async Task Code_130_up_started_with_ctrl_c_ignored_says_so_and_stops_on_sigterm()
    {
        var note = $"ingress up: Ctrl+C (SIGINT) is ignored in this process, as in a background job of a script; stop it with kill ";
        var start = new System.Diagnostics.ProcessStartInfo("perl") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["-e", "$SIG{INT} = 'IGNORE'; exec { $ARGV[0] } @ARGV", "--",
                     Ingress.Cli.LocalSystem.Executables.DotnetHost(), typeof(CliApp).Assembly.Location, "up",
                     "--state-dir", Path.Combine(_dir, "state"), "--https-port", "0", "--http-port", "0", "--no-dashboard"])
        {
            start.ArgumentList.Add(argument);
        }

        start.WorkingDirectory = RepositoryPaths.RepositoryRoot;
        using var up = System.Diagnostics.Process.Start(start)!;
        var error = new System.Text.StringBuilder();
        var noted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        up.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (error)
            {
                error.AppendLine(e.Data);
            }

            if (e.Data.StartsWith(note, StringComparison.Ordinal))
            {
                noted.TrySetResult();
            }
        };
        up.OutputDataReceived += (_, _) => { };
        up.BeginErrorReadLine();
        up.BeginOutputReadLine();
        try
        {
            await noted.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains(note + up.Id.ToString(CultureInfo.InvariantCulture) + " (SIGTERM).", error.ToString(), StringComparison.Ordinal);
            using (var kill = System.Diagnostics.Process.Start("/bin/kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await up.WaitForExitAsync(deadline.Token);
            Assert.Equal(130, up.ExitCode);
        }
        finally
        {
            if (!up.HasExited)
            {
                up.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void Every_documented_code_has_a_test_here()
    {
        var tested = typeof(ExitCodeTableTests).GetMethods()
            .Select(m => CodeTest().Match(m.Name))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups["code"].Value, CultureInfo.InvariantCulture))
            .Distinct()
            .Order()
            .ToList();

        Assert.Equal(DocumentedCodes(), tested);
    }

    private sealed record Run(int Code, string Output, string Error);

    /// <summary>Runs ingress; with <paramref name="interruptWhen"/>, sends SIGINT once a line matches.</summary>
    private static async Task<Run> RunAsync(string[] args, string stdin = "", Func<string, bool>? interruptWhen = null)
    {
        var interrupted = 0;
        var (code, output, error) = await IngressProcess.RunAsync(args, stdin, (process, line) =>
        {
            if (interruptWhen is not null && interruptWhen(line) && Interlocked.Exchange(ref interrupted, 1) == 0)
            {
                process.Signal("INT");
            }
        });
        return new Run(code, output, error);
    }

    [GeneratedRegex(@"^\| (?<code>\d+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^Code_(?<code>\d+)_")]
    private static partial Regex CodeTest();
}

using System.CommandLine;
using System.Runtime.InteropServices;
using Ingress.Cli.LocalSystem;

namespace Ingress.Cli.Commands;

/// <summary><c>ingress up</c>: the whole system on this machine with one command, until Ctrl+C.</summary>
public static class UpCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var stateDir = new Option<string?>("--state-dir")
        {
            Description = "Where the CA, the gateway certificate, the rendered config and the logs are kept " +
                          "(default: .local/ in the clone, else $XDG_STATE_HOME/ingress)",
        };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "Do not start the trace viewer (and export no telemetry)" };
        var httpsPort = new Option<int>("--https-port") { Description = "The gateway's HTTPS port on 127.0.0.1", DefaultValueFactory = _ => 8443 };
        var httpPort = new Option<int>("--http-port") { Description = "The gateway's HTTP port on 127.0.0.1 (redirects to HTTPS)", DefaultValueFactory = _ => 8080 };
        var dashboardPort = new Option<int>("--dashboard-port") { Description = "The trace viewer's port on 127.0.0.1", DefaultValueFactory = _ => 18888 };
        var api = new Option<string>("--api")
        {
            Description = "The API the edge is written in: istio (Gateway and VirtualService, deploy/overlays/local) or gateway-api " +
                          "(Kubernetes Gateway API Gateway and HTTPRoutes, deploy/overlays/gateway-api/local)",
            DefaultValueFactory = _ => LocalEdge.Istio.Name,
        };
        api.AcceptOnlyFromAmong([.. LocalEdge.All.Select(e => e.Name)]);

        var command = new Command(
            "up",
            "Start the local system: a local CA and the gateway certificate, the service and the chain service0 -> service1 -> " +
            "service2, the local gateway serving deploy/overlays/local (or deploy/overlays/gateway-api/local with --api gateway-api), " +
            "and the trace viewer. Ctrl+C stops everything.")
        {
            stateDir, noDashboard, httpsPort, httpPort, dashboardPort, api,
        };

        // A synchronous action on purpose: System.CommandLine's own Ctrl+C handling for async actions ends the process
        // after a short timeout, which could leave the children running. This command handles the signals itself.
        command.SetAction(parse => Run(
            parse.GetValue(stateDir),
            !parse.GetValue(noDashboard),
            parse.GetValue(httpsPort),
            parse.GetValue(httpPort),
            parse.GetValue(dashboardPort),
            LocalEdge.Named(parse.GetValue(api) ?? LocalEdge.Istio.Name)));
        return command;
    }

    private static int Run(string? stateDir, bool dashboard, int httpsPort, int httpPort, int dashboardPort, LocalEdge edge)
    {
        // Inside a clone its overlay and service build are used; elsewhere what was installed with the tool.
        var root = StateDirectory.FindRepositoryRoot(Environment.CurrentDirectory)
                   ?? StateDirectory.FindRepositoryRoot(AppContext.BaseDirectory);

        var options = new LocalSystemOptions
        {
            RepositoryRoot = root,
            StateDirectory = StateDirectory.Resolve(stateDir, root),
            Dashboard = dashboard,
            HttpsPort = httpsPort,
            HttpPort = httpPort,
            DashboardPort = dashboardPort,
            Edge = edge,
        };

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        if (SignalDisposition.IsIgnored(SignalDisposition.SIGINT))
        {
            // .NET keeps a signal ignored when the process started with it ignored (a background job of a script):
            // then Ctrl+C cannot stop `up`, and saying so beats a user (or a test) waiting for it.
            Console.Error.WriteLine(
                $"ingress up: Ctrl+C (SIGINT) is ignored in this process, as in a background job of a script; stop it with kill {Environment.ProcessId} (SIGTERM).");
        }

        return RunAsync(options, stop.Token).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(LocalSystemOptions options, CancellationToken stop)
    {
        RunningLocalSystem system;
        try
        {
            system = await LocalSystemHost.StartAsync(
                options,
                line => Console.WriteLine($"up: {line}"),
                (name, line) => Console.WriteLine($"{name} | {line}"),
                stop).ConfigureAwait(false);
        }
        catch (LocalSystemException ex)
        {
            Console.Error.WriteLine($"ingress up: {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("ingress up: stopped while starting.");
            return ExitCodes.Interrupted;
        }

        await using (system.ConfigureAwait(false))
        {
            Console.WriteLine();
            Console.WriteLine(NextSteps.Render(system));
            Console.WriteLine();
            int code;
            try
            {
                var (name, exitCode) = await system.WhenAnyPartExitsAsync(stop).ConfigureAwait(false);
                Console.Error.WriteLine($"ingress up: {name} exited with code {exitCode} (see its log in {StateDirectory.Display(Path.Combine(system.StateDirectory, "logs"))}); stopping the rest.");
                code = ExitCodes.Failed;
            }
            catch (OperationCanceledException)
            {
                code = ExitCodes.Clean;
            }

            Console.WriteLine("up: stopping ...");
            await system.StopAsync().ConfigureAwait(false);
            Console.WriteLine("up: stopped.");
            return code;
        }
    }
}

using System.CommandLine;
using Ingress.Cli.CommandLine;
using Ingress.Cli.Commands;

namespace Ingress.Cli;

/// <summary>The <c>ingress</c> command line, runnable in-process with any writers (Program.cs passes the console's).</summary>
public static class CliApp
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (the table in docs/cli.md, <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader stdin)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var colour = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected &&
                     string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = new CliConsole(output, error, stdin, colour);
        var root = new RootCommand("ingress: validate, analyze and serve Istio ingress configuration locally.")
        {
            ValidateCommand.Create(console),
            AnalyzeCommand.Create(console),
            UpCommand.Create(),
            GatewayCommand.Create(output, error, stdin),
            SidecarCommand.Create(output, error, stdin),
            RoutesCommand.Create(output, error, stdin),
            ExplainCommand.Create(output, error, stdin),
        };
        var parse = root.Parse(args);
        var usage = UsageErrors.Of(parse);
        if (usage.Count > 0)
        {
            var command = UsageErrors.CommandName(parse);
            foreach (var message in usage)
            {
                error.WriteLine($"{command}: {message}");
            }

            error.WriteLine($"Run '{command} --help' for the options.");
            return ExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // System.CommandLine returns 130/143 two seconds after SIGINT/SIGTERM when an async action (gateway,
            // sidecar) has not finished, and the process then exits: that cut the drain (up to 5 s while a client keeps
            // a connection open, GatewayOptions.DrainTimeout) short. It gets the drain and the disposal after it.
            ProcessTerminationTimeout = new Ingress.LocalGateway.GatewayOptions().DrainTimeout + TimeSpan.FromSeconds(5),
        });
    }
}

/// <summary>Where a command writes and reads, and whether it may colour its output (a terminal without NO_COLOR).</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool Colour);

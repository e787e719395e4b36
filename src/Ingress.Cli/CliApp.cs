using System.CommandLine;
using Ingress.Cli.Commands;

namespace Ingress.Cli;

/// <summary>The <c>ingress</c> command line, runnable in-process with any writers (Program.cs passes the console's).</summary>
public static class CliApp
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader stdin)
    {
        ArgumentNullException.ThrowIfNull(output);
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
        if (parse.Errors.Count > 0 && parse.CommandResult.Command.Name == "explain")
        {
            // explain's exit 1 means "not forwarded": a malformed command line must not look like an answer.
            foreach (var parseError in parse.Errors)
            {
                error.WriteLine("error: " + parseError.Message);
            }

            return ExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}

/// <summary>Where a command writes and reads, and whether it may colour its output (a terminal without NO_COLOR).</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In, bool Colour);

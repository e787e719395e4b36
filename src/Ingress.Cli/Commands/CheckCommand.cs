using System.CommandLine;
using Ingress.Cli.Checking;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Cli.Commands;

/// <summary>The action validate and analyze share: read the options, then run the check.</summary>
internal static class CheckCommand
{
    public static int Run(CheckOptions options, ParseResult parse, CliConsole console, string command,
        Func<ConfigSet, IEnumerable<Diagnostic>> rules)
    {
        CheckRequest request;
        try
        {
            request = options.Read(parse);
        }
        catch (FormatException e)
        {
            foreach (var line in e.Message.Split('\n'))
            {
                console.Error.WriteLine($"ingress {command}: {line}");
            }

            return ExitCodes.Usage;
        }

        return CheckRunner.Run(request, console, command, rules);
    }
}

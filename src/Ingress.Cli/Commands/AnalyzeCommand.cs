using System.CommandLine;
using Ingress.Cli.Checking;
using Ingress.Config.Analysis;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.Config.Validation;

namespace Ingress.Cli.Commands;

/// <summary><c>ingress analyze</c>: validate, plus the cross-resource checks of istioctl analyze and this project's own.</summary>
public static class AnalyzeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliConsole console)
    {
        var options = new CheckOptions();
        var listAnalyzers = new Option<bool>("--list-analyzers", "-L")
        {
            Description = "List every analyzer with its codes and what it checks, then exit",
        };
        var local = new Option<bool>("--local")
        {
            Description = "Check for a local run too (ingress gateway / ingress up): report what the local gateway " +
                          "cannot do with this configuration, such as a jwksUri off this machine (ING2012)",
        };
        var command = new Command(
            "analyze",
            "Check everything given together, like istioctl analyze: all that validate checks, plus what only shows " +
            "across resources (a VirtualService naming a Gateway that does not exist, a credentialName Secret missing " +
            "from the gateway's namespace, a catch-all route listed first, a certificate that can never be issued...). " +
            "Exit code 0: clean; 79: findings at or above --failure-threshold; 65: input that cannot be read.");
        options.AddTo(command);
        command.Options.Add(listAnalyzers);
        command.Options.Add(local);
        command.SetAction(parse => parse.GetValue(listAnalyzers)
            ? List(console)
            : CheckCommand.Run(options, parse, console, "analyze", config => Analyze(config, parse.GetValue(local))));
        return command;
    }

    private static IEnumerable<Diagnostic> Analyze(ConfigSet config, bool localRun)
    {
        var context = new AnalysisContext { Config = config, LocalRun = localRun };
        return ConfigValidator.Validate(config).Concat(AnalyzerRegistry.All.SelectMany(analyzer => RunOne(analyzer, context)));
    }

    /// <summary>One analyzer's failure is reported as a finding (istioctl's IST0001) instead of ending the run.</summary>
    private static List<Diagnostic> RunOne(IAnalyzer analyzer, AnalysisContext context)
    {
        try
        {
            return analyzer.Analyze(context).ToList();
        }
        catch (Exception e)
        {
            return
            [
                new Diagnostic
                {
                    Code = Messages.InternalError.Code,
                    Severity = Severity.Error,
                    Message = $"Internal error: analyzer {analyzer.Name} failed: {e.Message}",
                },
            ];
        }
    }

    private static int List(CliConsole console)
    {
        console.Out.WriteLine("Available analyzers:");
        foreach (var analyzer in AnalyzerRegistry.All.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            console.Out.WriteLine($"* {analyzer.Name} [{string.Join(", ", analyzer.Codes)}]:");
            console.Out.WriteLine($"    {analyzer.Description}");
        }

        return ExitCodes.Clean;
    }
}

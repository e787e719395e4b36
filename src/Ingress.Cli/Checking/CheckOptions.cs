using System.CommandLine;
using Ingress.Config.Diagnostics;

namespace Ingress.Cli.Checking;

/// <summary>The output formats of validate and analyze.</summary>
public enum OutputFormat
{
    Text,
    Json,
    Yaml,
}

/// <summary>The arguments and options validate and analyze share, defined once.</summary>
internal sealed class CheckOptions
{
    public Argument<string[]> Paths { get; } = new("paths")
    {
        Description = "YAML files or folders (read recursively: *.yaml, *.yml, *.json), or - for standard input",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public Option<string[]> Filenames { get; } = new("--filename", "-f")
    {
        Description = "Same as a path argument; may be repeated (as in istioctl and kubectl)",
        HelpName = "path",
    };

    public Option<string> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "Namespace of documents that do not set metadata.namespace (as kubectl apply -n)",
        DefaultValueFactory = _ => "default",
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: text (one line per finding, like istioctl), json or yaml",
        DefaultValueFactory = _ => OutputFormat.Text,
    };

    public Option<Severity> FailureThreshold { get; } = new("--failure-threshold")
    {
        Description = "The lowest severity that makes the command fail with exit code 79: Info, Warning or Error",
        DefaultValueFactory = _ => Severity.Error,
    };

    public Option<Severity> OutputThreshold { get; } = new("--output-threshold")
    {
        Description = "The lowest severity that is printed: Info, Warning or Error",
        DefaultValueFactory = _ => Severity.Info,
    };

    public Option<string[]> Suppress { get; } = new("--suppress", "-S")
    {
        Description = "Hide a finding: CODE=Kind name, e.g. \"IST0101=VirtualService istio-system/web\" (or istioctl's " +
                      "\"Kind name.namespace\"); * matches anything, e.g. \"ING1220=*\". May be repeated",
        HelpName = "CODE=Kind name",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Paths);
        command.Options.Add(Filenames);
        command.Options.Add(Namespace);
        command.Options.Add(Output);
        command.Options.Add(FailureThreshold);
        command.Options.Add(OutputThreshold);
        command.Options.Add(Suppress);
    }

    public CheckRequest Read(ParseResult parse) => new()
    {
        Paths = [.. parse.GetValue(Paths) ?? [], .. parse.GetValue(Filenames) ?? []],
        Namespace = parse.GetValue(Namespace) ?? "default",
        Output = parse.GetValue(Output),
        FailureThreshold = parse.GetValue(FailureThreshold),
        OutputThreshold = parse.GetValue(OutputThreshold),
        Suppressions = (parse.GetValue(Suppress) ?? []).Select(Suppression.Parse).ToList(),
    };
}

/// <summary>What one validate or analyze run was asked to do.</summary>
internal sealed record CheckRequest
{
    public required IReadOnlyList<string> Paths { get; init; }
    public required string Namespace { get; init; }
    public required OutputFormat Output { get; init; }
    public required Severity FailureThreshold { get; init; }
    public required Severity OutputThreshold { get; init; }
    public required IReadOnlyList<Suppression> Suppressions { get; init; }
}

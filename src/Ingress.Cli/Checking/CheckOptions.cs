using System.CommandLine;
using Ingress.Cli.CommandLine;
using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;

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
    public InputOptions Input { get; } = new(positionalPaths: true, legacyDefaultNamespace: false);

    public Choice<OutputFormat> Output { get; } = new(
        "--output", "-o", "Output format: text (one line per finding, like istioctl), json or yaml", "text",
        ("text", OutputFormat.Text), ("json", OutputFormat.Json), ("yaml", OutputFormat.Yaml));

    public Choice<Severity> FailureThreshold { get; } = SeverityOption(
        "--failure-threshold", "The lowest severity that makes the command fail with exit code 79", "Error");

    public Choice<Severity> OutputThreshold { get; } = SeverityOption(
        "--output-threshold", "The lowest severity that is printed", "Info");

    public Option<string[]> Suppress { get; } = new("--suppress", "-S")
    {
        Description = "Hide a finding: CODE=Kind name, e.g. \"IST0101=VirtualService istio-system/web\" (or istioctl's " +
                      "\"Kind name.namespace\"); * matches anything, e.g. \"ING1220=*\". May be repeated",
        HelpName = "CODE=Kind name",
    };

    public void AddTo(Command command)
    {
        Input.AddTo(command);
        command.Options.Add(Output.Option);
        command.Options.Add(FailureThreshold.Option);
        command.Options.Add(OutputThreshold.Option);
        command.Options.Add(Suppress);
    }

    /// <summary>The request, or a <see cref="FormatException"/> naming what is wrong with the options.</summary>
    public CheckRequest Read(ParseResult parse)
    {
        var errors = new List<string>();
        var inputs = Input.Read(parse, errors);
        if (errors.Count > 0)
        {
            throw new FormatException(string.Join("\n", errors));
        }

        return new CheckRequest
        {
            Inputs = inputs,
            Output = Output.Value(parse),
            FailureThreshold = FailureThreshold.Value(parse),
            OutputThreshold = OutputThreshold.Value(parse),
            Suppressions = (parse.GetValue(Suppress) ?? []).Select(Suppression.Parse).ToList(),
        };
    }

    private static Choice<Severity> SeverityOption(string name, string description, string defaultWord) =>
        new(name, "", description, defaultWord,
            ("Info", Severity.Info), ("Warning", Severity.Warning), ("Error", Severity.Error));
}

/// <summary>What one validate or analyze run was asked to do.</summary>
internal sealed record CheckRequest
{
    public required IReadOnlyList<ConfigInput> Inputs { get; init; }
    public required OutputFormat Output { get; init; }
    public required Severity FailureThreshold { get; init; }
    public required Severity OutputThreshold { get; init; }
    public required IReadOnlyList<Suppression> Suppressions { get; init; }

    /// <summary>The namespaces the documents without one were applied in: "namespace: default", "namespaces: a, b".</summary>
    public string Namespaces => InputOptions.Describe(Inputs);
}

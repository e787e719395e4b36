using System.Text.Encodings.Web;
using System.Text.Json;
using Ingress.Config.Diagnostics;
using Spectre.Console;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Ingress.Cli.Checking;

/// <summary>Prints findings as istioctl does: one line each (coloured on a terminal), or JSON, or YAML.</summary>
internal static class FindingsWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // The default encoder escapes quotes and every non-ASCII character (\u0022) for embedding in HTML; this output
        // is read by people and by JSON parsers, for which only what JSON requires is escaped ("\"", "\\", controls).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(IReadOnlyList<Diagnostic> findings, CheckRequest request, CliConsole console)
    {
        switch (request.Output)
        {
            case OutputFormat.Json:
                console.Out.WriteLine(JsonSerializer.Serialize(findings.Select(Record), Json));
                break;
            case OutputFormat.Yaml:
                var yaml = new SerializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance)
                    .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build();
                console.Out.Write(findings.Count == 0 ? "[]\n" : yaml.Serialize(findings.Select(Record).ToList()));
                break;
            default:
                WriteText(findings, request, console);
                break;
        }
    }

    /// <summary>The machine-readable form, with istioctl's field names (origin, reference) plus the field path.</summary>
    private static FindingRecord Record(Diagnostic d) => new(
        d.Code,
        d.Severity.ToString(),
        d.Resource ?? "",
        d.Resource is null && d.Location.Line > 0
            ? $"{d.Location.File}:{d.Location.Line}:{d.Location.Column}"
            : d.Location.ToString(),
        d.FieldPath,
        d.Message);

    private static void WriteText(IReadOnlyList<Diagnostic> findings, CheckRequest request, CliConsole console)
    {
        if (findings.Count == 0)
        {
            console.Out.WriteLine($"\u2714 No validation issues found when analyzing {request.Namespaces}.");
            return;
        }

        if (!console.Colour)
        {
            foreach (var finding in findings)
            {
                console.Out.WriteLine(finding.ToString());
            }

            return;
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Out = new AnsiConsoleOutput(console.Out),
        });
        foreach (var group in findings.GroupBy(f => f.Severity))
        {
            var colour = group.Key switch
            {
                Severity.Error => "red",
                Severity.Warning => "yellow",
                _ => "blue",
            };
            ansi.MarkupLine($"[bold {colour}]{group.Key}s ({group.Count()})[/]");
            foreach (var finding in group)
            {
                var text = finding.ToString();
                var severity = finding.Severity.ToString();
                var at = text.IndexOf(severity, StringComparison.Ordinal);
                ansi.MarkupLine(at < 0
                    ? Markup.Escape(text)
                    : $"{Markup.Escape(text[..at])}[{colour}]{severity}[/]{Markup.Escape(text[(at + severity.Length)..])}");
            }

            ansi.WriteLine();
        }
    }

    private sealed record FindingRecord(string Code, string Level, string Origin, string Reference, string? Path, string Message);
}

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ingress.Config.Diagnostics;
using Spectre.Console;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ingress.Cli.Checking;

/// <summary>Prints findings as istioctl does: one line each (coloured on a terminal), or JSON, or YAML.</summary>
internal static class FindingsWriter
{
    // The default encoder escapes quotes and every non-ASCII character (\u0022) for embedding in HTML; this output is
    // read by people and by JSON parsers, for which only what JSON requires is escaped ("\"", "\\", controls).
    private static readonly FindingsJson Json = new(new JsonSerializerOptions(FindingsJson.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static void Write(IReadOnlyList<Diagnostic> findings, CheckRequest request, CliConsole console)
    {
        switch (request.Output)
        {
            case OutputFormat.Json:
                console.Out.WriteLine(JsonSerializer.Serialize(findings.Select(Record).ToList(), Json.ListFindingRecord));
                break;
            case OutputFormat.Yaml:
                console.Out.Write(findings.Count == 0 ? "[]\n" : Yaml(findings.Select(Record)));
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

    /// <summary>
    /// The records as a YAML list of mappings (camelCase keys, a null path left out), written through YamlDotNet's
    /// emitter, which quotes what needs quoting; its reflection-based serializer is not available in the native build.
    /// </summary>
    private static string Yaml(IEnumerable<FindingRecord> records)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(text);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Block));
        foreach (var record in records)
        {
            emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
            foreach (var (key, value) in new[]
                     {
                         ("code", record.Code), ("level", record.Level), ("origin", record.Origin),
                         ("reference", record.Reference), ("path", record.Path), ("message", record.Message),
                     })
            {
                if (value is not null)
                {
                    emitter.Emit(new Scalar(key));
                    emitter.Emit(new Scalar(value));
                }
            }

            emitter.Emit(new MappingEnd());
        }

        emitter.Emit(new SequenceEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    internal sealed record FindingRecord(string Code, string Level, string Origin, string Reference, string? Path, string Message);
}

/// <summary>The JSON form of the findings, written by generated code (camelCase, indented).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<FindingsWriter.FindingRecord>))]
internal sealed partial class FindingsJson : JsonSerializerContext;

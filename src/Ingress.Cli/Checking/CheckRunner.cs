using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;
using Ingress.Config.Model;

namespace Ingress.Cli.Checking;

/// <summary>
/// One validate or analyze run: load the input, apply the command's rules, drop suppressed findings, print what is at
/// or above the output threshold, and turn the rest into an exit code.
/// </summary>
internal static class CheckRunner
{
    public static int Run(CheckRequest request, CliConsole console, string command,
        Func<ConfigSet, IEnumerable<Diagnostic>> rules)
    {
        if (request.Inputs.Count == 0)
        {
            console.Error.WriteLine(
                $"ingress {command}: nothing to check. Give YAML files or folders, or - to read standard input, e.g.\n" +
                $"  ingress {command} deploy/\n  kubectl kustomize deploy/overlays/local | ingress {command} -");
            return ExitCodes.Usage;
        }

        var loaded = ConfigLoader.Load(request.Inputs, console.In);
        var findings = loaded.Diagnostics
            .Concat(rules(loaded.Config))
            .Distinct()
            .Where(d => !request.Suppressions.Any(s => s.Matches(d)))
            .OrderByDescending(d => d.Severity)
            .ThenBy(d => d.Location.File, StringComparer.Ordinal)
            .ThenBy(d => d.Location.Line)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ThenBy(d => d.Resource, StringComparer.Ordinal)
            .ToList();
        if (!loaded.HasUnreadableInput && loaded.DocumentCount == 0)
        {
            console.Error.WriteLine("Error: " + NoResources(request.Inputs));
            return ExitCodes.UnreadableInput;
        }

        var shown = findings.Where(d => d.Severity >= request.OutputThreshold).ToList();
        FindingsWriter.Write(shown, request, console);

        if (loaded.HasUnreadableInput)
        {
            console.Error.WriteLine("Error: some input could not be read (see the findings above); fix it and run again.");
            return ExitCodes.UnreadableInput;
        }

        if (findings.Any(d => d.Severity >= request.FailureThreshold))
        {
            var what = command == "analyze" ? "Analyzers" : "Validation";
            console.Error.WriteLine(
                $"Error: {what} found issues when analyzing {request.Namespaces}.\n" +
                "See docs/analyzers.md for what each code means and how to fix it.");
            return ExitCodes.FindingsAboveThreshold;
        }

        return ExitCodes.Clean;
    }

    /// <summary>
    /// The error for an input without a single object: an empty file or folder, or a pipe from a command that failed
    /// (a kustomize typo prints its error on stderr and nothing on stdout), which must not read as "no issues found".
    /// </summary>
    public static string NoResources(IReadOnlyList<ConfigInput> inputs) =>
        $"no resources in the input ({string.Join(", ", inputs.Select(i => i.Path == "-" ? ConfigLoader.StdinName : i.Path))}): " +
        "nothing to check. If it was piped in, the command before the | may have failed; check its error above.";
}

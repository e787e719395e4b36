using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Ingress.Config.Loading;

namespace Ingress.Cli.CommandLine;

/// <summary>
/// The YAML input of every command that reads it, defined once: <c>-f/--filename</c> (and, for validate and analyze,
/// path arguments) and <c>-n/--namespace</c>, the namespace of the documents that name none, as
/// <c>kubectl apply -n</c>. One <c>-n</c> applies to every input wherever it is written; several split the inputs
/// into groups, each <c>-n</c> applying to the inputs after it, so that two <c>kubectl apply -n</c> calls are one
/// command: <c>-n httpserver -f app.yaml -n istio-system -f edge.yaml</c>.
/// </summary>
internal sealed partial class InputOptions
{
    /// <summary>The namespace of documents that name none when no <c>-n</c> is given (kubectl's).</summary>
    public const string DefaultNamespace = "default";

    /// <param name="positionalPaths">Whether paths may also be given as arguments (validate, analyze).</param>
    /// <param name="legacyDefaultNamespace">
    /// Whether <c>--default-namespace</c> is accepted as another spelling of <c>-n</c>: gateway, routes and sidecar
    /// documented it before <c>-n</c> meant the same on every command, and the homework recipe in docs/gateway.md uses it.
    /// </param>
    public InputOptions(bool positionalPaths, bool legacyDefaultNamespace)
    {
        Paths = positionalPaths
            ? new Argument<string[]>("paths")
            {
                Description = "YAML files or folders (read recursively: *.yaml, *.yml, *.json), or - for standard input",
                Arity = ArgumentArity.ZeroOrMore,
            }
            : null;
        Filenames = new Option<string[]>("--filename", "-f")
        {
            Description = positionalPaths
                ? "Same as a path argument; may be repeated (as in istioctl and kubectl)"
                : "YAML file, folder (recursive) or - for standard input; repeatable",
            HelpName = "path",
            Required = !positionalPaths,
        };
        Namespace = new Option<string[]>("--namespace", "-n")
        {
            Description = "The namespace of documents that do not set metadata.namespace, as kubectl apply -n (default " +
                          "'default'). Repeat it to give each file its own: every -n applies to the paths after it, e.g. " +
                          "-n httpserver -f app.yaml -n istio-system -f edge.yaml",
            HelpName = "namespace",
        };
        if (legacyDefaultNamespace)
        {
            Namespace.Aliases.Add("--default-namespace");
        }
    }

    public Argument<string[]>? Paths { get; }

    public Option<string[]> Filenames { get; }

    public Option<string[]> Namespace { get; }

    public void AddTo(Command command)
    {
        if (Paths is not null)
        {
            command.Arguments.Add(Paths);
        }

        command.Options.Add(Filenames);
        command.Options.Add(Namespace);
    }

    /// <summary>
    /// The inputs in the order written, each with its namespace; every mistake (a path before the first of several
    /// <c>-n</c>, a <c>-n</c> followed by no path, a namespace that is no DNS label) is added to <paramref name="errors"/>.
    /// </summary>
    public IReadOnlyList<ConfigInput> Read(ParseResult parse, List<string> errors)
    {
        var namespaceTokens = Tokens(parse.GetResult(Namespace));
        var pathTokens = Tokens(parse.GetResult(Filenames)).Concat(Paths is null ? [] : Tokens(parse.GetResult(Paths))).ToList();
        var namespaces = namespaceTokens.Select(t => t.Value).ToList();
        foreach (var name in namespaces.Where(n => !NamespaceName().IsMatch(n)).Distinct(StringComparer.Ordinal))
        {
            errors.Add($"--namespace '{name}': expected a namespace name (lower-case letters, digits and '-', at most 63), e.g. istio-system");
        }

        var written = new List<(string Path, string? Namespace)>();
        var emptyGroups = new List<string>();
        string? current = null;
        var pathsSinceNamespace = 0;
        foreach (var token in parse.Tokens)
        {
            if (namespaceTokens.Any(t => ReferenceEquals(t, token)))
            {
                if (current is not null && pathsSinceNamespace == 0)
                {
                    emptyGroups.Add(current);
                }

                current = token.Value;
                pathsSinceNamespace = 0;
            }
            else if (pathTokens.Any(t => ReferenceEquals(t, token)))
            {
                written.Add((token.Value, current));
                pathsSinceNamespace++;
            }
        }

        if (namespaces.Count <= 1)
        {
            // One -n applies to every input, wherever it is written (as it always has).
            var only = namespaces.FirstOrDefault() ?? DefaultNamespace;
            return written.Select(w => new ConfigInput(w.Path, only)).ToList();
        }

        if (current is not null && pathsSinceNamespace == 0)
        {
            emptyGroups.Add(current);
        }

        foreach (var name in emptyGroups)
        {
            errors.Add($"-n {name} is followed by no path: with several -n, each applies to the paths after it");
        }

        var unplaced = written.Where(w => w.Namespace is null).Select(w => w.Path).ToList();
        if (unplaced.Count > 0)
        {
            errors.Add($"{string.Join(", ", unplaced)}: with several -n, each applies to the paths after it, so write " +
                       "a -n before every path (-n default for kubectl's default)");
        }

        return written.Select(w => new ConfigInput(w.Path, w.Namespace ?? DefaultNamespace)).ToList();
    }

    /// <summary>How a run names the namespaces it applied, as istioctl's "analyzing namespace: default".</summary>
    public static string Describe(IReadOnlyList<ConfigInput> inputs)
    {
        var names = inputs.Select(i => i.Namespace).Distinct(StringComparer.Ordinal).ToList();
        return names.Count > 1 ? "namespaces: " + string.Join(", ", names) : "namespace: " + names.FirstOrDefault(DefaultNamespace);
    }

    private static List<Token> Tokens(SymbolResult? result) => result?.Tokens.ToList() ?? [];

    /// <summary>A Kubernetes namespace name: an RFC 1123 label.</summary>
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceName();
}

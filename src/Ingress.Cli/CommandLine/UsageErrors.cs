using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace Ingress.Cli.CommandLine;

/// <summary>
/// What is wrong with a command line before anything runs: the parser's errors, and a word starting with <c>-</c>
/// that no option of the command knows. System.CommandLine hands such a word to a command's path arguments, where it
/// would be read as a file name; every command here refuses it as an unknown option (exit 64), as kubectl does.
/// </summary>
internal static class UsageErrors
{
    public static IReadOnlyList<string> Of(ParseResult parse)
    {
        if (parse.Action is HelpAction)
        {
            return [];
        }

        var errors = parse.Errors.Select(e => e.Message).ToList();
        var arguments = parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).ToList();
        foreach (var token in parse.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash))
        {
            if (token.Value.Length > 1 && token.Value[0] == '-' && arguments.Any(a => ReferenceEquals(a, token)))
            {
                errors.Add($"unknown option '{token.Value}' (a file whose name starts with '-' is written ./{token.Value}, or after --)");
            }
        }

        return errors;
    }

    /// <summary>The command as the user typed it, e.g. <c>ingress analyze</c>.</summary>
    public static string CommandName(ParseResult parse)
    {
        var names = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command; result = command.Parent)
        {
            names.Insert(0, command.Command is RootCommand ? "ingress" : command.Command.Name);
        }

        return string.Join(' ', names);
    }
}

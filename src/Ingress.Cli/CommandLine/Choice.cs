using System.CommandLine;

namespace Ingress.Cli.CommandLine;

/// <summary>
/// An option whose value is one of a few words (case-insensitive), read as a <typeparamref name="T"/>. A value outside
/// them is a usage error that lists the words, e.g. <c>--output 'xml': expected one of text, json, yaml</c>, instead of
/// a .NET type name; help shows the words and the default as written on the command line.
/// </summary>
internal sealed class Choice<T>
{
    private readonly (string Word, T Value)[] _choices;

    public Choice(string name, string alias, string description, string defaultWord, params (string Word, T Value)[] choices)
    {
        _choices = choices;
        Option = alias.Length == 0 ? new Option<string>(name) : new Option<string>(name, alias);
        Option.Description = description;
        Option.HelpName = string.Join('|', choices.Select(c => c.Word));
        Option.DefaultValueFactory = _ => defaultWord;
        Option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var match = choices.FirstOrDefault(c => string.Equals(c.Word, text, StringComparison.OrdinalIgnoreCase));
            if (match.Word is null)
            {
                result.AddError($"{name} '{text}': expected one of {string.Join(", ", choices.Select(c => c.Word))}");
                return defaultWord;
            }

            return match.Word;
        };
        Option.CompletionSources.Add(choices.Select(c => c.Word).ToArray());
    }

    public Option<string> Option { get; }

    /// <summary>The value given (or the default).</summary>
    public T Value(ParseResult parse) => _choices.First(c => c.Word == parse.GetValue(Option)).Value;
}

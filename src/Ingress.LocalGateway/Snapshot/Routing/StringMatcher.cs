using System.Text.RegularExpressions;

namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>A compiled Istio <c>StringMatch</c>: exact, prefix, RE2 regex (full match) or presence.</summary>
public sealed class StringMatcher
{
    private readonly Regex? _regex;

    private StringMatcher(StringMatchKind kind, string value, bool ignoreCase, Regex? regex)
    {
        Kind = kind;
        Value = value;
        IgnoreCase = ignoreCase;
        _regex = regex;
    }

    /// <summary>Which comparison is made.</summary>
    public StringMatchKind Kind { get; }

    /// <summary>The exact value, prefix or regex as written.</summary>
    public string Value { get; }

    /// <summary>Case-insensitive (only <c>ignoreUriCase</c> sets it; it does not apply to regex).</summary>
    public bool IgnoreCase { get; }

    /// <summary>Matches anything present.</summary>
    public static StringMatcher Present { get; } = new(StringMatchKind.Present, "", false, null);

    /// <summary>A full-match RE2 matcher.</summary>
    public static StringMatcher Regex(string pattern) => new(StringMatchKind.Regex, pattern, false, Re2.Compile(pattern, anchored: true));

    /// <summary>An exact matcher for a literal.</summary>
    public static StringMatcher Exact(string value, bool ignoreCase = false) =>
        new(StringMatchKind.Exact, value, ignoreCase, null);

    /// <summary>A prefix matcher for a literal.</summary>
    public static StringMatcher Prefix(string value, bool ignoreCase = false) =>
        new(StringMatchKind.Prefix, value, ignoreCase, null);

    /// <summary>
    /// Envoy's <c>path_separated_prefix</c> (Istio's match for a Gateway API PathPrefix): the value is the whole path or
    /// is followed by <c>/</c>, so <c>/api</c> takes <c>/api</c> and <c>/api/x</c> but not <c>/apix</c>.
    /// </summary>
    public static StringMatcher PathSeparatedPrefix(string value) =>
        new(StringMatchKind.PathSeparatedPrefix, value, false, null);

    /// <summary>Whether the value matches.</summary>
    public bool Matches(ReadOnlySpan<char> value)
    {
        var comparison = IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return Kind switch
        {
            StringMatchKind.Exact => value.Equals(Value, comparison),
            StringMatchKind.Prefix => value.StartsWith(Value, comparison),
            StringMatchKind.PathSeparatedPrefix => value.StartsWith(Value, StringComparison.Ordinal) &&
                                                   (value.Length == Value.Length || value[Value.Length] == '/'),
            StringMatchKind.Regex => _regex!.IsMatch(value),
            _ => true,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        StringMatchKind.Exact => $"exact:{Value}",
        StringMatchKind.Prefix => $"prefix:{Value}",
        StringMatchKind.PathSeparatedPrefix => $"path_separated_prefix:{Value}",
        StringMatchKind.Regex => $"regex:{Value}",
        _ => "present",
    };
}

/// <summary>The kinds of string comparison.</summary>
public enum StringMatchKind
{
    Exact,
    Prefix,
    Regex,
    Present,

    /// <summary>A prefix that ends at a path segment (Envoy's <c>path_separated_prefix</c>).</summary>
    PathSeparatedPrefix,
}

/// <summary>RE2 patterns run on .NET's linear-time engine, which refuses what RE2 refuses.</summary>
public static class Re2
{
    private static readonly TimeSpan NoTimeout = Regex.InfiniteMatchTimeout;

    /// <summary>Compiles an RE2 pattern; <paramref name="anchored"/> makes it a full match as Envoy's safe_regex.</summary>
    public static Regex Compile(string pattern, bool anchored)
    {
        var translated = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
        if (anchored)
        {
            translated = "^(?:" + translated + ")$";
        }

        return new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, NoTimeout);
    }

    /// <summary>Whether the pattern compiles; the message says why not.</summary>
    public static bool TryCompile(string pattern, bool anchored, out Regex? regex, out string? error)
    {
        try
        {
            regex = Compile(pattern, anchored);
            error = null;
            return true;
        }
        catch (ArgumentException e)
        {
            regex = null;
            error = e.Message;
            return false;
        }
        catch (NotSupportedException e)
        {
            regex = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Turns an RE2 rewrite (<c>\1</c> groups) into a .NET replacement (<c>${1}</c>).</summary>
    public static string TranslateReplacement(string rewrite)
    {
        var builder = new System.Text.StringBuilder(rewrite.Length + 8);
        for (var i = 0; i < rewrite.Length; i++)
        {
            var c = rewrite[i];
            if (c == '\\' && i + 1 < rewrite.Length && char.IsAsciiDigit(rewrite[i + 1]))
            {
                builder.Append("${").Append(rewrite[i + 1]).Append('}');
                i++;
            }
            else if (c == '$')
            {
                builder.Append("$$");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

using System.Text.RegularExpressions;

namespace Ingress.Config.Validation;

/// <summary>
/// Checks that a pattern is one RE2 (Envoy's regex engine) accepts. .NET's NonBacktracking engine refuses most of
/// what RE2 refuses (back-references, look-arounds, atomic groups, conditionals); the scan below catches the rest
/// (possessive quantifiers, \Z, \G, comments, .NET-only flags) and accepts RE2's <c>(?P&lt;name&gt;…)</c>.
/// </summary>
public static class Re2Syntax
{
    /// <summary>Istio's limit on a regex's length (a stand-in for RE2's program size).</summary>
    public const int MaxLength = 1024;

    /// <summary>Why RE2 would refuse the pattern, or null when it accepts it.</summary>
    public static string? Error(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length > MaxLength)
        {
            return $"regex is too large, max length allowed is {MaxLength}";
        }

        if (Scan(pattern) is { } unsupported)
        {
            return unsupported;
        }

        try
        {
            _ = new Regex(ToDotNet(pattern), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return null;
        }
        catch (NotSupportedException e)
        {
            return $"not supported by RE2: {e.Message}";
        }
        catch (ArgumentException e)
        {
            return $"error parsing regexp: {e.Message}";
        }
    }

    /// <summary>The pattern in .NET syntax: RE2's <c>(?P&lt;name&gt;</c> groups become <c>(?&lt;name&gt;</c>.</summary>
    public static string ToDotNet(string pattern) => pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);

    private static string? Scan(string p)
    {
        var inClass = false;
        var afterQuantifier = false;
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '\\' && i + 1 < p.Length)
            {
                var next = p[i + 1];
                if (!inClass)
                {
                    if (next is >= '1' and <= '9' || next == 'k')
                    {
                        return $"back-references (\\{next}) are not supported by RE2";
                    }

                    if (next is 'Z' or 'G')
                    {
                        return $"\\{next} is not supported by RE2 (use \\z or $ for the end of the text)";
                    }
                }

                i++;
                afterQuantifier = false;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                    if (i + 1 < p.Length && p[i + 1] == '^')
                    {
                        i++;
                    }

                    if (i + 1 < p.Length && p[i + 1] == ']')
                    {
                        i++;
                    }

                    afterQuantifier = false;
                    break;
                case '{' when RepeatCountError(p, i) is { } repeatError:
                    return repeatError;
                case '*' or '+' or '?' or '}':
                    if (afterQuantifier && c == '+')
                    {
                        return "possessive quantifiers (such as *+ or ++) are not supported by RE2";
                    }

                    // `x*?` is a lazy quantifier (RE2 has it); a further quantifier after it is an error either way.
                    afterQuantifier = !(afterQuantifier && c == '?');
                    continue;
                case '(' when i + 1 < p.Length && p[i + 1] == '?':
                    if (GroupError(p, i + 2) is { } error)
                    {
                        return error;
                    }

                    afterQuantifier = false;
                    break;
                default:
                    afterQuantifier = false;
                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// Go's regexp parser (which Istio validates with) reads <c>{n}</c>, <c>{n,}</c> and <c>{n,m}</c> as a repeat and
    /// refuses a count above 1000 or a minimum above the maximum; any other <c>{</c> is a literal.
    /// </summary>
    private static string? RepeatCountError(string p, int at)
    {
        var i = at + 1;
        var minStart = i;
        while (i < p.Length && char.IsAsciiDigit(p[i]))
        {
            i++;
        }

        if (i == minStart || i >= p.Length)
        {
            return null;
        }

        var min = Count(p[minStart..i]);
        var max = min;
        if (p[i] == ',')
        {
            i++;
            var maxStart = i;
            while (i < p.Length && char.IsAsciiDigit(p[i]))
            {
                i++;
            }

            max = i == maxStart ? -1 : Count(p[maxStart..i]);
        }

        if (i >= p.Length || p[i] != '}')
        {
            return null;
        }

        return min > MaxRepeat || max > MaxRepeat || (max >= 0 && min > max)
            ? $"error parsing regexp: invalid repeat count: `{p[at..(i + 1)]}`"
            : null;

        // Digits beyond what an int holds are over the limit anyway.
        static int Count(string digits) =>
            int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }

    /// <summary>Go's regexp/syntax limit on a repeat count.</summary>
    private const int MaxRepeat = 1000;

    private static string? GroupError(string p, int at)
    {
        var rest = p.AsSpan(at);
        if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!"))
        {
            return "look-around assertions ((?=, (?!, (?<=, (?<!) are not supported by RE2";
        }

        if (rest.StartsWith(">"))
        {
            return "atomic groups ((?>…)) are not supported by RE2";
        }

        if (rest.StartsWith("("))
        {
            return "conditionals ((?(…)…)) are not supported by RE2";
        }

        if (rest.StartsWith("#"))
        {
            return "comments ((?#…)) are not supported by RE2";
        }

        if (rest.StartsWith("P<") || rest.StartsWith("<") || rest.StartsWith(":"))
        {
            return null;
        }

        if (rest.StartsWith("'"))
        {
            return "named groups written (?'name'…) are not supported by RE2; write (?P<name>…)";
        }

        // Inline flags: RE2 knows i, m, s and U.
        foreach (var flag in rest)
        {
            if (flag is ')' or ':')
            {
                return null;
            }

            if (flag is not ('i' or 'm' or 's' or 'U' or '-'))
            {
                return $"the inline flag '{flag}' is not supported by RE2 (it knows i, m, s and U)";
            }
        }

        return null;
    }
}

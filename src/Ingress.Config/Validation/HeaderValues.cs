namespace Ingress.Config.Validation;

/// <summary>
/// Istio's check of a value a header operation sets or adds (<c>validation.go: ValidateHTTPHeaderValue</c> and
/// <c>header_value_validator.go: validateHeaderValue</c>, a port of Envoy's header formatter parser).
/// </summary>
/// <remarks>
/// Envoy reads <c>%NAME%</c> and <c>%NAME(args)%</c> in such values as variables (<c>%HOSTNAME%</c>,
/// <c>%REQ(x-id)%</c>) and <c>%%</c> as a literal percent sign; a lone <c>%</c> starts a variable that never ends, which
/// Envoy refuses, so Istio does too. Control characters other than tab are refused, and so is text that is not
/// UTF-8 (a lone surrogate from a <c>\uD800</c> escape, which Kubernetes' YAML reader refuses as well).
/// </remarks>
internal static class HeaderValues
{
    private enum State
    {
        Literal,
        VariableName,
        ExpectArray,
        ExpectString,
        String,
        ExpectDelimiterOrEnd,
        ExpectArgsEnd,
        ExpectVariableEnd,
    }

    /// <summary>Why Istio refuses <paramref name="value"/> as a header value, or null.</summary>
    public static string? Error(string value)
    {
        if (value.Any(c => c is < '\u0009' or (> '\u0009' and < '\u0020') or '\u007f'))
        {
            return $"header value configuration {Printable(value)} is invalid (control characters are not allowed)";
        }

        if (!IsUtf8(value))
        {
            return $"header value configuration {Printable(value)} is invalid (it is not valid UTF-8)";
        }

        return FormatError(value) is { } error ? $"header value configuration: {error}" : null;
    }

    /// <summary>The value quoted with control characters and lone surrogates escaped, so a message never carries them raw.</summary>
    private static string Printable(string value)
    {
        var builder = new System.Text.StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c < ' ' || c == '\u007f' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.Append('"').ToString();
    }

    private static bool IsUtf8(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Envoy's variable syntax, state by state; null when the value parses.</summary>
    private static string? FormatError(string value)
    {
        var state = State.Literal;
        for (var pos = 0; pos < value.Length; pos++)
        {
            var c = value[pos];
            var hasNext = pos + 1 < value.Length;
            switch (state)
            {
                case State.Literal when c == '%':
                    if (!hasNext)
                    {
                        return "invalid header configuration. Un-escaped %";
                    }

                    if (value[pos + 1] == '%')
                    {
                        pos++;
                    }
                    else
                    {
                        state = State.VariableName;
                    }

                    break;
                case State.VariableName:
                    state = c switch
                    {
                        '%' => State.Literal,
                        '(' => State.ExpectArray,
                        _ => state,
                    };
                    break;
                case State.ExpectArray:
                    state = c == '[' ? State.ExpectString : c == ' ' ? state : State.String;
                    break;
                case State.ExpectDelimiterOrEnd:
                    if (c == ',')
                    {
                        state = State.ExpectString;
                    }
                    else if (c == ']')
                    {
                        state = State.ExpectArgsEnd;
                    }
                    else if (c != ' ')
                    {
                        return "invalid header configuration. Expecting ',', ']', or whitespace";
                    }

                    break;
                case State.ExpectString:
                    if (c == '"')
                    {
                        state = State.String;
                    }
                    else if (c != ' ')
                    {
                        return "invalid header configuration. Expecting '\"'";
                    }

                    break;
                case State.String:
                    if (c == '\\')
                    {
                        if (!hasNext)
                        {
                            return "invalid header configuration. Un-terminated backslash in JSON string";
                        }

                        pos++;
                    }
                    else if (c == ')')
                    {
                        state = State.ExpectVariableEnd;
                    }
                    else if (c == '"')
                    {
                        state = State.ExpectDelimiterOrEnd;
                    }

                    break;
                case State.ExpectArgsEnd:
                    if (c == ')')
                    {
                        state = State.ExpectVariableEnd;
                    }
                    else if (c != ' ')
                    {
                        return "invalid header configuration. Expecting ')' or whitespace after '{}', but found '{}'";
                    }

                    break;
                case State.ExpectVariableEnd:
                    if (c == '%')
                    {
                        state = State.Literal;
                    }
                    else if (c != ' ')
                    {
                        return "invalid header configuration. Expecting '%' or whitespace after";
                    }

                    break;
            }
        }

        return state == State.Literal
            ? null
            : $"invalid header configuration. Un-terminated variable expression '{value}' (write %% for a literal %)";
    }
}

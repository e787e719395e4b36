namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Which fields the local gateway does not implement may be left out while the rest is served (<c>--allow-unsupported</c>).
/// By default none may: such a config is refused, because serving it without them would not behave as Istio does.
/// </summary>
public sealed record UnsupportedFields
{
    /// <summary>Refuse every config that uses a field the local gateway does not implement (the default).</summary>
    public static UnsupportedFields None { get; } = new();

    /// <summary>Serve the rest of every config; each field left out is reported as a warning.</summary>
    public static UnsupportedFields All { get; } = new() { AllowAll = true };

    /// <summary>True when every unsupported field may be left out.</summary>
    public bool AllowAll { get; init; }

    /// <summary>
    /// Field paths that may be left out, matched against the end of a finding's field path with list indices removed:
    /// <c>retries</c> matches <c>spec.http[2].retries</c>, <c>trafficPolicy.tls</c> matches <c>spec.trafficPolicy.tls</c>.
    /// </summary>
    public IReadOnlyList<string> Allowed { get; init; } = [];

    /// <summary>Only the given fields may be left out.</summary>
    public static UnsupportedFields Only(IEnumerable<string> fields) => new() { Allowed = fields.ToList() };

    /// <summary>Whether the unsupported field at <paramref name="fieldPath"/> may be left out.</summary>
    public bool Allows(string fieldPath)
    {
        if (AllowAll)
        {
            return true;
        }

        var path = WithoutIndices(fieldPath);
        return Allowed.Any(field =>
        {
            var wanted = WithoutIndices(field.Trim());
            return wanted.Length > 0
                   && (path == wanted || path.EndsWith("." + wanted, StringComparison.Ordinal));
        });
    }

    private static string WithoutIndices(string path)
    {
        var text = new System.Text.StringBuilder(path.Length);
        var depth = 0;
        foreach (var c in path)
        {
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}

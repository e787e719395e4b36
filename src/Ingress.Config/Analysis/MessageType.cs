using System.Globalization;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis;

/// <summary>
/// One entry of the message catalogue: a code that is never reused, Istio's name for it, its severity and its
/// template (a composite format string; Istio's <c>%q</c> arguments are passed already quoted).
/// </summary>
public sealed record MessageType(string Code, string Name, Severity Severity, string Template, string Description)
{
    /// <summary>The template filled with <paramref name="args"/>.</summary>
    public string Format(params object?[] args) => string.Format(CultureInfo.InvariantCulture, Template, args);

    /// <summary>
    /// A finding about <paramref name="resource"/> at <paramref name="fieldPath"/>: the catalogue text, then
    /// <paramref name="advice"/> (what to do) when given.
    /// </summary>
    public Diagnostic At(Resource resource, string fieldPath, string? advice, params object?[] args)
    {
        var text = Format(args);
        return new Diagnostic
        {
            Code = Code,
            Severity = Severity,
            Resource = resource.DisplayName,
            FieldPath = fieldPath,
            Location = resource.LocationOf(fieldPath),
            Message = string.IsNullOrEmpty(advice) ? text : $"{text}{(text.EndsWith('.') ? "" : ".")} {advice}",
        };
    }
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;
using Ingress.Config.Validation;

namespace Ingress.Config.Tests.Validation;

/// <summary>Loads YAML (which must load cleanly) and validates it.</summary>
internal static class ValidationTestHelper
{
    public static IReadOnlyList<Diagnostic> Validate(string yaml)
    {
        var loaded = ConfigLoader.LoadText(yaml.ReplaceLineEndings("\n"), "test.yaml", new LoadOptions());
        Assert.Empty(loaded.Diagnostics);
        return ConfigValidator.Validate(loaded.Config);
    }

    /// <summary>(code, severity, field path, line, message) of each finding, for exact comparison.</summary>
    public static IEnumerable<(string, Severity, string?, int, string)> Summaries(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d => (d.Code, d.Severity, d.FieldPath, d.Location.Line, d.Message));
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Loading;

/// <summary>What the loader read: every resource it could bind, and every finding about the input.</summary>
public sealed record LoadResult
{
    public required ConfigSet Config { get; init; }
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>How many objects the input held (the items of a <c>kind: List</c> each count), modelled or not.</summary>
    public int DocumentCount { get; init; }

    /// <summary>Whether any finding is an error (the configuration must not be used as it is).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);

    /// <summary>Whether some input could not be read at all: a missing path, a YAML syntax error or a bound exceeded.</summary>
    public bool HasUnreadableInput => Diagnostics.Any(d => LoaderCodes.IsUnreadable(d.Code));
}

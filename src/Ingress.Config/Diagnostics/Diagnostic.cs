
namespace Ingress.Config.Diagnostics;

/// <summary>How serious a finding is. Ordered: a threshold compares with &gt;=.</summary>
public enum Severity
{
    Info = 0,
    Warning = 1,
    Error = 2,
}

/// <summary>
/// One finding about the configuration: a stable code (IST0101, or ING… for this project's own), a severity,
/// the resource it is about (<c>Kind ns/name</c>), the field path, where it was written, and a message that says
/// what is wrong and what to do.
/// </summary>
public sealed record Diagnostic
{
    public required string Code { get; init; }
    public required Severity Severity { get; init; }
    public required string Message { get; init; }

    /// <summary><c>Kind namespace/name</c>, or null for findings about a file rather than a resource.</summary>
    public string? Resource { get; init; }

    /// <summary>The field path, e.g. <c>spec.http[0].route[1].destination.host</c>, or null.</summary>
    public string? FieldPath { get; init; }

    public SourceLocation Location { get; init; } = SourceLocation.None;

    /// <summary>
    /// The istioctl-style one-line form: <c>Error [IST0101] (VirtualService ns/name file:12) message</c>. A finding
    /// about a file rather than a resource (a YAML syntax error, a missing path) reads compiler-style:
    /// <c>file:3:7: Error [ING0002] message</c>.
    /// </summary>
    public override string ToString()
    {
        if (Resource is null)
        {
            var position = Location.Line > 0 ? $"{Location.File}:{Location.Line}:{Location.Column}" : Location.File;
            return $"{position}: {Severity} [{Code}] {Message}";
        }

        return $"{Severity} [{Code}] ({Resource} {Location}) {Message}";
    }
}

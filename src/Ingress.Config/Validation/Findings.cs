using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Validation;

/// <summary>Collects the findings about one resource, each with its field path and the line that path was written on.</summary>
internal sealed class Findings(Resource resource, List<Diagnostic> sink)
{
    public Resource Resource { get; } = resource;

    public void Error(string code, string path, string message) => Add(code, Severity.Error, path, message);

    public void Warning(string code, string path, string message) => Add(code, Severity.Warning, path, message);

    /// <summary>
    /// Whether the field was written in the YAML, even as an empty list (<c>from: []</c>): the model reads an absent
    /// list and an empty one alike, but Istio tells a written empty list from a missing one in a few places.
    /// </summary>
    public bool IsWritten(string path) => Resource.FieldLocations.ContainsKey(path);

    private void Add(string code, Severity severity, string path, string message) =>
        sink.Add(new Diagnostic
        {
            Code = code,
            Severity = severity,
            Message = $"{path}: {message}",
            Resource = Resource.DisplayName,
            FieldPath = path,
            Location = Resource.LocationOf(path),
        });
}

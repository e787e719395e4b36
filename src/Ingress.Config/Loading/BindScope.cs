using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Loading;

/// <summary>What binding one document collects: its findings and the location of every field.</summary>
internal sealed class BindScope(string file, string? resource, List<Diagnostic> diagnostics)
{
    public string File { get; } = file;
    public string? Resource { get; } = resource;
    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

    public SourceLocation At(Node node) => new(File, node.Line, node.Column);

    public void Report(string code, string path, Node at, string message, Severity severity = Severity.Error) =>
        diagnostics.Add(new Diagnostic
        {
            Code = code,
            Severity = severity,
            Message = message,
            Resource = Resource,
            FieldPath = path.Length == 0 ? null : path,
            Location = At(at),
        });
}

using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.LocalGateway.Compile;

/// <summary>Collects the gateway's own findings while a config is compiled, each with its resource, field and line.</summary>
public sealed class CompileDiagnostics
{
    private readonly List<Diagnostic> _items = [];
    private readonly UnsupportedFields _allowed;

    /// <summary>Collects findings; unsupported fields are errors unless <paramref name="allowed"/> lets them be left out.</summary>
    public CompileDiagnostics(UnsupportedFields? allowed = null) => _allowed = allowed ?? UnsupportedFields.None;

    /// <summary>Everything found, in the order found.</summary>
    public IReadOnlyList<Diagnostic> Items => _items;

    /// <summary>Adds a finding made by a rule shared with the analyzers (same code, severity and words).</summary>
    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);

    /// <summary>Adds a finding about a field of a resource.</summary>
    public void Add(string code, Severity severity, Resource resource, string fieldPath, string message) =>
        _items.Add(new Diagnostic
        {
            Code = code,
            Severity = severity,
            Message = message,
            Resource = resource.DisplayName,
            FieldPath = fieldPath,
            Location = resource.LocationOf(fieldPath),
        });

    /// <summary>
    /// Reports a field the local gateway does not implement. By default it is an error, so the config is refused (serving
    /// it without the field would not behave as Istio does); allowed by <c>--allow-unsupported</c>, it is a warning
    /// and the field is left out of the running config.
    /// </summary>
    public void Unsupported(Resource resource, string fieldPath, string what)
    {
        if (_allowed.Allows(fieldPath))
        {
            Add(GatewayCodes.Unsupported, Severity.Warning, resource, fieldPath,
                $"{fieldPath}: {what} is not supported by the local gateway and is left out (--allow-unsupported); see docs/gateway.md");
        }
        else
        {
            Add(GatewayCodes.Unsupported, Severity.Error, resource, fieldPath,
                $"{fieldPath}: {what} is not supported by the local gateway: remove it, or start with --allow-unsupported " +
                "to serve the rest without it; see docs/gateway.md");
        }
    }
}

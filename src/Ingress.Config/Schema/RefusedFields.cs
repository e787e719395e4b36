using Ingress.Config.Model;

namespace Ingress.Config.Schema;

/// <summary>A field the CRD has but this project does not model, and why; setting it is refused as "not supported".</summary>
public sealed record RefusedField(Type Owner, string Name, string Reason)
{
    /// <summary>The error a loader or validator reports when a manifest sets the field.</summary>
    public string MessageFor(string fieldPath) => $"{fieldPath}: not supported by this tool: {Reason}";
}

/// <summary>
/// The fields of the Istio and cert-manager CRDs that the model deliberately leaves out. Kubernetes accepts them, so
/// they are not "unknown": the loader and the gateway refuse them with the reason instead of silently dropping them.
/// The schema tests fail when the CRDs gain a field that is neither modelled nor listed here, and docs/conformance.md
/// is generated from this list.
/// </summary>
public static class RefusedFields
{
    /// <summary>Every refused field, by the model record that would hold it and its YAML key.</summary>
    public static IReadOnlyList<RefusedField> All { get; } =
    [
    ];

    /// <summary>The refused field with that key in a record type, or null.</summary>
    public static RefusedField? Find(Type owner, string name) =>
        All.FirstOrDefault(r => r.Owner == owner && r.Name == name);
}

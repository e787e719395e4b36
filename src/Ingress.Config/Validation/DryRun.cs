using Ingress.Config.Model;

namespace Ingress.Config.Validation;

/// <summary>
/// The <c>istio.io/dry-run</c> annotation (<c>validation.go: validateMetadata, checkDryRunAnnotation</c>), checked
/// before anything else of an Istio resource: only an AuthorizationPolicy may carry it, only with action ALLOW or DENY
/// (dry-run evaluates and logs the policy without enforcing it), and its value must be a boolean as Go's
/// <c>strconv.ParseBool</c> reads one (<c>true</c>, <c>false</c>, <c>1</c>, <c>0</c>, <c>t</c>, <c>F</c>, <c>TRUE</c>, ...).
/// </summary>
internal static class DryRun
{
    public const string Annotation = "istio.io/dry-run";

    private static readonly HashSet<string> Booleans = new(StringComparer.Ordinal)
    {
        "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False",
    };

    /// <summary>Reports the annotation's problem and returns true when Istio refuses the resource for it.</summary>
    public static bool Refuses(Resource resource, Findings f)
    {
        if (!resource.Metadata.Annotations.TryGetValue(Annotation, out var value))
        {
            return false;
        }

        var path = $"metadata.annotations.{Annotation}";
        var id = $"{resource.Metadata.Namespace}/{resource.Metadata.Name}";
        if (resource is not AuthorizationPolicy policy)
        {
            f.Error(ValidationCodes.DryRunAnnotation, path,
                $"{id} has unsupported annotation {Annotation}, please remove the annotation (only an AuthorizationPolicy can be run dry)");
            return true;
        }

        var action = Proto3.IsSet(policy.Spec.Action) ? policy.Spec.Action! : "ALLOW";
        if (action is not ("ALLOW" or "DENY"))
        {
            f.Error(ValidationCodes.DryRunAnnotation, path,
                $"the annotation {Annotation} currently only supports action ALLOW/DENY, found action {action} in {id}");
            return true;
        }

        if (!Booleans.Contains(value))
        {
            f.Error(ValidationCodes.DryRunAnnotation, path,
                $"{id} has annotation {Annotation} with invalid value ({value}): strconv.ParseBool: parsing \"{value}\": invalid syntax (write \"true\" or \"false\")");
            return true;
        }

        return false;
    }
}

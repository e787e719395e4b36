using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.Config.Schema;

namespace Ingress.Config.Validation;

/// <summary>
/// The per-resource checks Istio's (and cert-manager's) admission webhooks make, run over every resource at once:
/// what the API server would refuse. Every rule runs; all findings are returned, errors and warnings apart by severity.
/// </summary>
public static class ConfigValidator
{
    /// <summary>Every finding about every resource, in resource order.</summary>
    public static IReadOnlyList<Diagnostic> Validate(ConfigSet config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var diagnostics = new List<Diagnostic>();
        foreach (var resource in config.Resources)
        {
            var first = diagnostics.Count;
            var findings = new Findings(resource, diagnostics);
            switch (resource)
            {
                case Gateway or VirtualService or DestinationRule or AuthorizationPolicy or RequestAuthentication or
                    PeerAuthentication or Telemetry when DryRun.Refuses(resource, findings):
                    // Istio's webhook stops at this check, so nothing else of the spec is reported.
                    break;
                case Gateway gateway:
                    GatewayValidator.Validate(gateway, findings);
                    break;
                case VirtualService virtualService:
                    VirtualServiceValidator.Validate(virtualService, findings);
                    break;
                case DestinationRule destinationRule:
                    DestinationRuleValidator.Validate(destinationRule, findings);
                    break;
                case AuthorizationPolicy authorizationPolicy:
                    SecurityValidators.AuthorizationPolicy(authorizationPolicy, findings);
                    break;
                case RequestAuthentication requestAuthentication:
                    SecurityValidators.RequestAuthentication(requestAuthentication, findings);
                    break;
                case PeerAuthentication peerAuthentication:
                    SecurityValidators.PeerAuthentication(peerAuthentication, findings);
                    break;
                case Telemetry telemetry:
                    TelemetryValidator.Validate(telemetry, findings);
                    break;
                case Issuer issuer:
                    CertManagerValidator.Issuer(issuer.Spec, findings);
                    break;
                case ClusterIssuer clusterIssuer:
                    CertManagerValidator.Issuer(clusterIssuer.Spec, findings);
                    break;
                case Certificate certificate:
                    CertManagerValidator.Certificate(certificate, findings);
                    break;
            }

            // What the CRD's own schema and CEL rules reject (the API server checks these before Istio's webhook);
            // where a check above already names the field (or the field inside it, or the object just around it), its
            // message says more, so the schema's is not repeated.
            var named = diagnostics.Skip(first).Select(d => d.FieldPath ?? "").ToList();
            diagnostics.AddRange(StructuralValidator.Validate(resource).Where(d => !named.Any(n => SameMistake(d.FieldPath ?? "", n))));
        }

        return diagnostics.AsReadOnly();
    }

    private static bool SameMistake(string schemaPath, string checkPath)
    {
        if (schemaPath == checkPath || checkPath.StartsWith(schemaPath + ".", StringComparison.Ordinal) ||
            checkPath.StartsWith(schemaPath + "[", StringComparison.Ordinal))
        {
            return true;
        }

        var cut = schemaPath.LastIndexOf('.');
        return cut > 0 && checkPath != "spec" && schemaPath[..cut] == checkPath;
    }
}

using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.GatewayApi;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.GatewayApi;

/// <summary>
/// IST0171: the status conditions Istio's controller would write on the Gateway API objects, computed from the
/// configuration (<see cref="GatewayApiResolver"/>), and each one that is negative reported where its cause is written:
/// a Gateway or listener that is not accepted or programmed, a route a parent does not accept, a reference that does
/// not resolve. Istio's <c>conditions.ConditionAnalyzer</c> reads the same conditions from a cluster's status.
/// </summary>
public sealed class ConditionAnalyzer : IAnalyzer
{
    public string Name => "conditions.ConditionAnalyzer";

    public string Description =>
        "Computes the status conditions of Gateway API Gateways, HTTPRoutes and GRPCRoutes as Istio's controller would, and reports the negative ones";

    public IReadOnlyList<string> Codes { get; } = [Messages.NegativeConditionStatus.Code];

    public IReadOnlyList<string> InputKinds { get; } =
        ["Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "Service", "Secret", "Namespace", "Certificate"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var state = GatewayApiStates.For(context);
        foreach (var gateway in state.Gateways.Where(g => g.Served))
        {
            foreach (var condition in gateway.Conditions.Where(IsNegative))
            {
                yield return Report(gateway.Source, condition, condition.FieldPath ?? "spec");
            }

            foreach (var listener in gateway.Listeners)
            {
                foreach (var condition in listener.Conditions.Where(IsNegative))
                {
                    yield return Report(gateway.Source, condition, condition.FieldPath ?? listener.FieldPath,
                        $"listener {listener.Name}: ");
                }
            }
        }

        foreach (var route in state.Routes.Where(r => r.Parents.Count > 0))
        {
            foreach (var parent in route.Parents)
            {
                foreach (var condition in parent.Conditions.Where(c => c.Type == ConditionTypes.Accepted && IsNegative(c)))
                {
                    yield return Report(route.Route, condition, condition.FieldPath ?? parent.FieldPath);
                }
            }

            // The status names one unresolved reference per parent; each is reported once, where it is written.
            foreach (var problem in route.RefProblems)
            {
                yield return Report(route.Route, problem, problem.FieldPath ?? "spec.rules");
            }
        }
    }

    /// <summary>False, except for the negative-polarity Conflicted, whose problem is True.</summary>
    private static bool IsNegative(StatusCondition condition) =>
        condition.Status == (condition.Type == ConditionTypes.Conflicted);

    private static Diagnostic Report(Resource resource, StatusCondition condition, string fieldPath, string prefix = "") =>
        Messages.NegativeConditionStatus.At(resource, fieldPath, Advice(condition.Reason),
            condition.Type, condition.Reason, prefix + condition.Message);

    /// <summary>What to do about each reason.</summary>
    private static string? Advice(string reason) => reason switch
    {
        ConditionReasons.NoMatchingParent =>
            "Check the parentRef: the Gateway's namespace/name, and the sectionName and port of one of its listeners.",
        ConditionReasons.NotAllowedByListeners =>
            "Allow the route on the listener (allowedRoutes.namespaces / allowedRoutes.kinds), or attach it to a listener that allows it.",
        ConditionReasons.NoMatchingListenerHostname =>
            "Give the route a hostname the listener's hostname covers, or attach it to a listener that serves its hostnames.",
        ConditionReasons.RefNotPermitted =>
            "Add a ReferenceGrant in the referenced object's namespace that allows this kind from this namespace.",
        ConditionReasons.BackendNotFound => "Create the Service, or fix the backendRef's name and namespace; until then its share of the requests gets 500.",
        ConditionReasons.InvalidKind => "Istio routes to core Services: use group \"\" and kind Service.",
        ConditionReasons.InvalidDestination or ConditionReasons.InvalidFilter =>
            "Istio drops every rule of the route until this is fixed.",
        ConditionReasons.InvalidCertificateRef =>
            "Create the Secret (kubectl create secret tls NAME -n NS --cert=FILE --key=FILE) in the namespace the certificateRef names, or let cert-manager issue it.",
        _ => null,
    };
}

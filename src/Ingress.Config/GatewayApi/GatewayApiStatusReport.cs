using System.Text;

namespace Ingress.Config.GatewayApi;

/// <summary>
/// The status of the Gateway API objects as <c>ingress routes</c> and the admin listener's <c>/config_dump</c> show it:
/// each Gateway's and listener's conditions with its attached routes, and each route's conditions per parent.
/// </summary>
public static class GatewayApiStatusReport
{
    /// <summary>The status as text, one object per line and its conditions indented below; empty when there is none.</summary>
    public static string ToText(GatewayApiState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var text = new StringBuilder();
        foreach (var gateway in state.Gateways)
        {
            text.Append("gateway ").Append(gateway.Key).Append(" (class ").Append(gateway.Source.Spec.GatewayClassName).Append(')');
            if (!gateway.Served)
            {
                text.Append(": not served, ").Append(gateway.NotServedReason).Append('\n');
                continue;
            }

            text.Append('\n');
            AppendConditions(text, gateway.Conditions, "    ");
            foreach (var listener in gateway.Listeners)
            {
                text.Append("  listener ").Append(listener.Name).Append(' ').Append(listener.Port).Append(' ').Append(listener.Protocol)
                    .Append(" hostname ").Append(listener.Hostname).Append(": ").Append(listener.AttachedRoutes)
                    .Append(listener.AttachedRoutes == 1 ? " route attached" : " routes attached")
                    .Append(listener.Serves ? "" : ", not served").Append('\n');
                AppendConditions(text, listener.Conditions, "    ");
            }
        }

        foreach (var route in state.Routes)
        {
            text.Append("route ").Append(route.Route.DisplayName).Append(route.Parents.Count == 0 ? ": no parent served here\n" : "\n");
            foreach (var parent in route.Parents)
            {
                text.Append("  ").Append(parent.FieldPath).Append(' ')
                    .Append(parent.Reference.Namespace ?? route.Route.Metadata.Namespace).Append('/').Append(parent.Reference.Name)
                    .Append(parent.Reference.SectionName is { } section ? "/" + section : "")
                    .Append(parent.Reference.Port is { } port ? ":" + port : "").Append('\n');
                AppendConditions(text, parent.Conditions, "    ");
            }
        }

        return text.ToString();
    }

    /// <summary>The status as data, for JSON.</summary>
    public static object ToData(GatewayApiState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new
        {
            Gateways = state.Gateways.Select(g => new
            {
                Gateway = g.Key,
                Class = g.Source.Spec.GatewayClassName,
                g.Served,
                g.NotServedReason,
                Conditions = g.Conditions.Select(Data),
                Listeners = g.Listeners.Select(l => new
                {
                    l.Name,
                    l.Port,
                    l.Protocol,
                    l.Hostname,
                    l.AttachedRoutes,
                    l.SupportedKinds,
                    Conditions = l.Conditions.Select(Data),
                }),
            }),
            Routes = state.Routes.Select(r => new
            {
                Route = r.Route.DisplayName,
                Parents = r.Parents.Select(p => new
                {
                    ParentRef = p.FieldPath,
                    Conditions = p.Conditions.Select(Data),
                }),
            }),
        };
    }

    private static object Data(StatusCondition condition) => new
    {
        condition.Type,
        Status = condition.Status ? "True" : "False",
        condition.Reason,
        condition.Message,
    };

    private static void AppendConditions(StringBuilder text, IReadOnlyList<StatusCondition> conditions, string indent)
    {
        foreach (var condition in conditions)
        {
            text.Append(indent).Append(condition).Append('\n');
        }
    }
}

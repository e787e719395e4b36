using System.Text;
using System.Text.Json.Nodes;

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

    /// <summary>The status as a JSON tree (built node by node: no reflection, so it works in the native build).</summary>
    public static JsonObject ToJson(GatewayApiState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new JsonObject
        {
            ["gateways"] = Array(state.Gateways, g => new JsonObject
            {
                ["gateway"] = g.Key,
                ["class"] = g.Source.Spec.GatewayClassName,
                ["served"] = g.Served,
                ["notServedReason"] = g.NotServedReason,
                ["conditions"] = Array(g.Conditions, Json),
                ["listeners"] = Array(g.Listeners, l => new JsonObject
                {
                    ["name"] = l.Name,
                    ["port"] = l.Port,
                    ["protocol"] = l.Protocol,
                    ["hostname"] = l.Hostname,
                    ["attachedRoutes"] = l.AttachedRoutes,
                    ["supportedKinds"] = Array(l.SupportedKinds, k => JsonValue.Create(k)),
                    ["conditions"] = Array(l.Conditions, Json),
                }),
            }),
            ["routes"] = Array(state.Routes, r => new JsonObject
            {
                ["route"] = r.Route.DisplayName,
                ["parents"] = Array(r.Parents, p => new JsonObject
                {
                    ["parentRef"] = p.FieldPath,
                    ["conditions"] = Array(p.Conditions, Json),
                }),
            }),
        };
    }

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> node) => new(items.Select(node).ToArray());

    private static JsonObject Json(StatusCondition condition) => new()
    {
        ["type"] = condition.Type,
        ["status"] = condition.Status ? "True" : "False",
        ["reason"] = condition.Reason,
        ["message"] = condition.Message,
    };

    private static void AppendConditions(StringBuilder text, IReadOnlyList<StatusCondition> conditions, string indent)
    {
        foreach (var condition in conditions)
        {
            text.Append(indent).Append(condition).Append('\n');
        }
    }
}

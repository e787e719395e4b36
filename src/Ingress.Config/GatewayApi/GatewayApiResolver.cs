using Ingress.Config.Model;

namespace Ingress.Config.GatewayApi;

/// <summary>What the resolution depends on besides the configuration.</summary>
public sealed record GatewayApiOptions
{
    /// <summary>The time certificates are checked against.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// The Gateway API as Istio's controller computes it (<c>pilot/pkg/config/kube/gateway</c>), as one pure function:
/// configuration in, Gateways with their listeners, attached routes in match order and status conditions out. The
/// analyzers, <c>ingress routes</c> and the local gateway all read its result, so they cannot disagree.
/// </summary>
public static class GatewayApiResolver
{
    /// <summary>The controller name of Istio's Gateway API implementation.</summary>
    public const string ControllerName = "istio.io/gateway-controller";

    /// <summary>The GatewayClass Istio creates for itself.</summary>
    public const string DefaultClassName = "istio";

    /// <summary>Resolves every Gateway API object of <paramref name="config"/>.</summary>
    public static GatewayApiState Resolve(ConfigSet config, GatewayApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var gateways = config.OfType<KubernetesGateway>().ToList();
        var routes = config.OfType<RouteResource>().ToList();
        if (gateways.Count == 0 && routes.Count == 0)
        {
            return GatewayApiState.Empty;
        }

        options ??= new GatewayApiOptions();
        var grants = new ReferenceGrants(config);
        var listenerResolver = new ListenerResolver(config, grants, options);
        var translator = new RouteTranslator(config, grants);

        var served = new List<GatewayBuild>();
        var unserved = new Dictionary<KubernetesGateway, string>();
        foreach (var gateway in gateways)
        {
            if (NotServedReason(config, gateway) is { } reason)
            {
                unserved[gateway] = reason;
                continue;
            }

            var listeners = gateway.Spec.Listeners.Select((l, i) => listenerResolver.Resolve(gateway, l, i)).ToList();
            served.Add(new GatewayBuild(gateway, listeners));
        }

        var statuses = new List<RouteStatus>();
        foreach (var route in routes.OrderBy(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MaxValue)
                     .ThenBy(r => r.Metadata.Namespace, StringComparer.Ordinal)
                     .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            statuses.Add(Attach(route, translator.Translate(route), gateways, served));
        }

        return new GatewayApiState
        {
            Gateways = gateways.Select(g => served.FirstOrDefault(b => b.Gateway == g) is { } build
                ? build.ToResolved()
                : new ResolvedGateway { Source = g, Served = false, NotServedReason = unserved[g] }).ToList(),
            Routes = routes.Select(r => statuses.First(s => s.Route == r)).ToList(),
        };
    }

    /// <summary>
    /// Why Istio's controller leaves a Gateway alone: its class is another controller's, or names no class Istio knows.
    /// Class <c>istio</c> is Istio's own even when no GatewayClass object is given (Istio creates it).
    /// </summary>
    private static string? NotServedReason(ConfigSet config, KubernetesGateway gateway)
    {
        var className = gateway.Spec.GatewayClassName ?? "";
        var gatewayClass = config.OfType<GatewayClass>().FirstOrDefault(c => c.Metadata.Name == className);
        if (gatewayClass is not null)
        {
            return gatewayClass.Spec.ControllerName == ControllerName
                ? null
                : $"its class {className} belongs to controller {gatewayClass.Spec.ControllerName}, not Istio's ({ControllerName})";
        }

        return className == DefaultClassName
            ? null
            : $"its class {className} is neither Istio's built-in class {DefaultClassName} nor a GatewayClass of the configuration with controllerName {ControllerName}";
    }

    private static RouteStatus Attach(RouteResource route, Translation translation, List<KubernetesGateway> gateways,
        List<GatewayBuild> served)
    {
        var parents = new List<ParentStatus>();
        // Istio's status names one problem: the error that dropped the rules, else the last reference that does not resolve.
        var resolvedRefs = translation.Hard ?? (translation.Problems.Count > 0 ? translation.Problems[^1] : null) ??
                           new StatusCondition(ConditionTypes.ResolvedRefs, true, ConditionReasons.ResolvedRefs, "All references resolved");
        var routeNamespace = route.Metadata.Namespace;
        var refs = route.Common.ParentRefs;
        for (var i = 0; i < refs.Count; i++)
        {
            var reference = refs[i];
            if ((reference.Group ?? GatewayApiPatterns.ApiGroup) != GatewayApiPatterns.ApiGroup || (reference.Kind ?? "Gateway") != "Gateway")
            {
                // A Service parent is the mesh's (GAMMA), anything else another controller's: no status from the gateway.
                continue;
            }

            var ns = reference.Namespace ?? routeNamespace;
            var gateway = gateways.FirstOrDefault(g => g.Metadata.Namespace == ns && g.Metadata.Name == reference.Name);
            if (gateway is null)
            {
                parents.Add(new ParentStatus(i, reference,
                [
                    new StatusCondition(ConditionTypes.Accepted, false, ConditionReasons.NoMatchingParent,
                        $"parent Gateway {ns}/{reference.Name} not found") { FieldPath = $"spec.parentRefs[{i}]" },
                    resolvedRefs,
                ]));
                continue;
            }

            if (served.FirstOrDefault(b => b.Gateway == gateway) is not { } build)
            {
                continue;
            }

            var denials = new List<(int Rank, string Reason, string Message)>();
            var accepted = 0;
            foreach (var listener in build.Listeners)
            {
                if (Deny(listener, reference, route) is { } denial)
                {
                    denials.Add(denial);
                    continue;
                }

                accepted++;
                build.Attach(listener, route, translation.Hard is null ? translation.Rules : []);
            }

            parents.Add(new ParentStatus(i, reference, [Accepted(accepted, denials, i), resolvedRefs]));
        }

        return new RouteStatus { Route = route, Parents = parents, RefProblems = translation.Problems };
    }

    private static StatusCondition Accepted(int accepted, List<(int Rank, string Reason, string Message)> denials, int index)
    {
        if (accepted > 0 || denials.Count == 0)
        {
            return new StatusCondition(ConditionTypes.Accepted, true, ConditionReasons.Accepted,
                accepted > 1 ? $"Route was valid, bound to {accepted} parents" : "Route was valid");
        }

        // Istio reports the denial closest to success (not allowed, then no hostname, then no such listener), its
        // messages joined (each once here: Istio repeats one per listener).
        var rank = denials.Min(d => d.Rank);
        var chosen = denials.Where(d => d.Rank == rank).ToList();
        return new StatusCondition(ConditionTypes.Accepted, false, chosen[0].Reason, string.Join("; ", chosen.Select(d => d.Message).Distinct()))
        {
            FieldPath = $"spec.parentRefs[{index}]",
        };
    }

    /// <summary>
    /// Istio's <c>referenceAllowed</c>: why a parent reference does not attach to one listener, or null when it does:
    /// the port and sectionName first, then the hostnames (and the namespace the listener admits), then the kind.
    /// </summary>
    private static (int Rank, string Reason, string Message)? Deny(ListenerFacts facts, ParentReference reference, RouteResource route)
    {
        var listener = facts.Listener;
        if (reference.Port is { } port && port != listener.Port)
        {
            return (4, ConditionReasons.NoMatchingParent, $"port {port} not found");
        }

        if (!string.IsNullOrEmpty(reference.SectionName) && reference.SectionName != listener.Name)
        {
            return (4, ConditionReasons.NoMatchingParent, $"sectionName \"{reference.SectionName}\" not found");
        }

        var written = listener.Hostname == Hostnames.Any ? "" : listener.Hostname;
        var hostnames = route.Common.Hostnames.Count == 0 ? [Hostnames.Any] : route.Common.Hostnames;
        if (!hostnames.Any(h => Hostnames.Overlap(listener.Hostname, h)))
        {
            return (2, ConditionReasons.NoMatchingListenerHostname, $"no hostnames matched parent hostname \"{written}\"");
        }

        var ns = route.Metadata.Namespace;
        if (facts.AllowsNamespace(ns) is not true)
        {
            var unknown = facts.AllowsNamespace(ns) is null
                ? $" (the listener selects namespaces by label and the configuration has no Namespace {ns} to check: include it)"
                : "";
            return (1, ConditionReasons.NotAllowedByListeners,
                $"hostnames matched parent hostname \"{written}\", but namespace \"{ns}\" is not allowed by the parent{unknown}");
        }

        return listener.SupportedKinds.Contains(route.Kind)
            ? null
            : (1, ConditionReasons.NotAllowedByListeners, $"kind {GatewayApiPatterns.ApiGroup}/{route.Kind} is not allowed");
    }

    /// <summary>A served Gateway while routes attach to it.</summary>
    private sealed class GatewayBuild(KubernetesGateway gateway, List<ListenerFacts> listeners)
    {
        private readonly Dictionary<ListenerFacts, HashSet<RouteResource>> _attached = [];
        private readonly Dictionary<(ListenerFacts, string), List<ResolvedRule>> _hosts = [];

        public KubernetesGateway Gateway { get; } = gateway;
        public List<ListenerFacts> Listeners { get; } = listeners;

        /// <summary>
        /// Attaches a route's rules to a listener under each of its hostnames the listener serves: the intersection of
        /// the two, less the names a more specific listener on the same port takes (Istio's listener isolation).
        /// </summary>
        public void Attach(ListenerFacts facts, RouteResource route, IReadOnlyList<ResolvedRule> rules)
        {
            if (!_attached.TryGetValue(facts, out var routes))
            {
                _attached[facts] = routes = [];
            }

            if (!routes.Add(route))
            {
                return;
            }

            var hostnames = route.Common.Hostnames.Count == 0 ? [Hostnames.Any] : route.Common.Hostnames;
            foreach (var hostname in hostnames.Where(h => IsolationAllows(facts, h)))
            {
                if (Hostnames.Intersect(facts.Listener.Hostname, hostname) is not { } host)
                {
                    continue;
                }

                if (!_hosts.TryGetValue((facts, host), out var list))
                {
                    _hosts[(facts, host)] = list = [];
                }

                list.AddRange(rules.Where(r => !list.Contains(r)));
            }
        }

        /// <summary>
        /// Istio's <c>hostnameAllowedByIsolation</c>: a route on a wildcard (or hostname-less) listener does not serve
        /// a name that another listener of the Gateway, on the same port and protocol, names more specifically.
        /// </summary>
        private bool IsolationAllows(ListenerFacts facts, string routeHost)
        {
            var ours = facts.Listener.Hostname == Hostnames.Any ? "" : facts.Listener.Hostname;
            if (ours.Length > 0 && !ours.StartsWith('*'))
            {
                return true;
            }

            if (ours.Length > 0 && !Hostnames.Overlap(routeHost, ours))
            {
                return false;
            }

            foreach (var other in Listeners.Where(o => o != facts && o.Listener.Port == facts.Listener.Port &&
                                                       o.Listener.Protocol == facts.Listener.Protocol))
            {
                var check = other.Listener.Hostname == Hostnames.Any ? "" : other.Listener.Hostname;
                if (check.Length == 0 || check == ours || ours.Length > check.Length)
                {
                    continue;
                }

                if (Hostnames.Covers(check, routeHost))
                {
                    return false;
                }
            }

            return true;
        }

        public ResolvedGateway ToResolved() => new()
        {
            Source = Gateway,
            Served = true,
            Conditions =
            [
                new StatusCondition(ConditionTypes.Accepted, true, ConditionReasons.Accepted, "Resource accepted"),
                new StatusCondition(ConditionTypes.Programmed, true, ConditionReasons.Programmed, "Resource programmed"),
            ],
            Listeners = Listeners.Select(facts => facts.Listener with
            {
                AttachedRoutes = _attached.TryGetValue(facts, out var routes) ? routes.Count : 0,
                VirtualHosts = _hosts.Where(h => h.Key.Item1 == facts)
                    .OrderByDescending(h => Hostnames.Specificity(h.Key.Item2))
                    .ThenBy(h => h.Key.Item2, StringComparer.Ordinal)
                    .Select(h => new ResolvedVirtualHost(h.Key.Item2, h.Value.Order(RulePrecedence.Instance).ToList()))
                    .ToList(),
            }).ToList(),
        };
    }
}

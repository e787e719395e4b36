using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.CertManager;

/// <summary>
/// ING2002: an ACME HTTP-01 challenge (<c>GET http://name/.well-known/acme-challenge/token</c>, port 80) must reach
/// cert-manager's solver. Lost when a Gateway server redirects port 80 of that name to HTTPS (Envoy applies
/// <c>httpsRedirect</c> before any route), when a port-80 VirtualService rule takes the challenge path and sends it
/// somewhere other than a Service selecting the solver pods (user routes come before the solver's, except
/// catch-alls), when the solver uses another ingress class (or none) while the Istio gateway serves the name, or when
/// the gateway's Service has no port 80. With <c>http01.ingress.class: istio</c> Istio serves the solver's Ingress
/// itself on port 80 (its Kubernetes Ingress support), so no Gateway server is needed for it.
/// </summary>
public sealed class Http01ChallengeAnalyzer : IAnalyzer
{
    private const string ChallengePath = "/.well-known/acme-challenge/probe-token";
    private const string IstioClass = "istio";

    public string Name => "certmanager.Http01ChallengeAnalyzer";

    public string Description => "Checks that ACME HTTP-01 challenges can be answered on port 80 through the ingress gateway";

    public IReadOnlyList<string> Codes { get; } = [Messages.AcmeHttp01ChallengeNotServed.Code];

    public IReadOnlyList<string> InputKinds { get; } =
        ["Certificate", "Issuer", "ClusterIssuer", "Gateway", "VirtualService", "Service", "Deployment", "Pod"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var certificate in context.Config.OfType<Certificate>())
        {
            if (Issuers.Resolve(context.Config, certificate) is not { Spec.Acme: { } acme } issuer)
            {
                continue;
            }

            for (var k = 0; k < certificate.Spec.DnsNames.Count; k++)
            {
                var dnsName = certificate.Spec.DnsNames[k];
                var solver = Issuers.SolverFor(acme, dnsName, certificate.Metadata.Labels);
                if (solver?.Http01 is not { } http01 || http01.GatewayHTTPRoute is not null)
                {
                    continue; // DNS-01, or a Gateway API solver this tool does not model.
                }

                var reason = Reason(context, http01.Ingress, dnsName);
                if (reason is null)
                {
                    continue;
                }

                yield return Messages.AcmeHttp01ChallengeNotServed.At(
                    certificate,
                    $"spec.dnsNames[{k}]",
                    reason.Value.Advice,
                    $"{certificate.Metadata.Namespace}/{certificate.Metadata.Name}",
                    issuer.Issuer.Kind,
                    issuer.Issuer.Metadata.Name,
                    dnsName,
                    reason.Value.Text);
            }
        }
    }

    /// <summary>
    /// Whether the configuration shows how <paramref name="certificate"/> gets issued end to end, so the Secret it
    /// writes can be counted on: its issuer is in the configuration, and for ACME each name is solved by DNS-01 or by
    /// HTTP-01 with an explicit port-80 route from the gateway to cert-manager's solver pods.
    /// </summary>
    internal static bool IssuanceIsVisible(AnalysisContext context, Certificate certificate)
    {
        if (Issuers.Resolve(context.Config, certificate) is not { } issuer)
        {
            return false;
        }

        if (issuer.Spec.Acme is not { } acme)
        {
            return true;
        }

        return certificate.Spec.DnsNames.Count > 0 && certificate.Spec.DnsNames.All(dnsName =>
        {
            var solver = Issuers.SolverFor(acme, dnsName, certificate.Metadata.Labels);
            if (solver is null)
            {
                return false;
            }

            if (solver.Http01 is null)
            {
                return solver.Dns01 is not null;
            }

            var port80 = ServersFor(context, dnsName).Where(e => e.Server.Port?.Number == 80).ToList();
            return Reason(context, solver.Http01.Ingress, dnsName) is null
                && FirstChallengeRoute(context, port80, dnsName) is { } route
                && RoutesToSolver(context, route.Vs, route.Rule);
        });
    }

    private static List<(Gateway Gateway, Server Server, int Index)> ServersFor(AnalysisContext context, string dnsName) =>
        context.Config.Gateways
            .SelectMany(g => g.Spec.Servers.Select((s, i) => (Gateway: g, Server: s, Index: i)))
            .Where(e => e.Server.Hosts.Any(h => HostNames.Matches(HostNames.SplitServerHost(h, e.Gateway.Metadata.Namespace).Host, dnsName)))
            .ToList();

    private static (string Text, string Advice)? Reason(AnalysisContext context, AcmeHttp01Ingress? ingress, string dnsName)
    {
        var servers = ServersFor(context, dnsName);
        var port80 = servers.Where(e => e.Server.Port?.Number == 80).ToList();
        var solverClass = ingress?.IngressClassName ?? ingress?.Class;

        // Envoy applies httpsRedirect to the whole host before any route is looked at.
        var redirect = port80.FirstOrDefault(e => e.Server.Tls?.HttpsRedirect == true);
        if (redirect.Gateway is not null)
        {
            return ($"{redirect.Gateway.DisplayName} redirects port 80 for it to HTTPS (spec.servers[{redirect.Index}].tls.httpsRedirect), so the validation request gets a 301 instead of the token.",
                "Drop tls.httpsRedirect and redirect in a VirtualService rule listed after one that sends /.well-known/acme-challenge/ to the solver, or use a DNS-01 solver.");
        }

        if (FirstChallengeRoute(context, port80, dnsName) is { } route)
        {
            return RoutesToSolver(context, route.Vs, route.Rule)
                ? null
                : ($"rule #{route.Rule} of {route.Vs.DisplayName} takes /.well-known/acme-challenge/ on port 80 and sends it elsewhere, before the solver's route.",
                    "Send that path to a Service selecting the solver pods (label acme.cert-manager.io/http01-solver: \"true\"), narrow the rule's match, or use a DNS-01 solver.");
        }

        if (solverClass == IstioClass)
        {
            var service = GatewayServiceWithoutPort80(context);
            return service is null
                ? null
                : ($"{service.DisplayName}, in front of the ingress gateway, does not expose port 80.",
                    "Add port 80 to that Service, or use a DNS-01 solver.");
        }

        if (servers.Count == 0)
        {
            return null; // Another controller serves this name; nothing here says otherwise.
        }

        var how = solverClass is not null
            ? $"the solver publishes it through ingress class {solverClass}"
            : ingress?.Name is { } existing
                ? $"the solver adds it to Ingress {existing}"
                : "the solver's Ingress has no class, and Istio only serves Ingresses of class istio";
        var where = port80.Count > 0
            ? $"port 80 for {dnsName} is served by {port80[0].Gateway.DisplayName}, which has no route to the solver"
            : $"{dnsName} is served by {servers[0].Gateway.DisplayName} and no Gateway server listens on port 80 for it";
        return ($"{how}, but {where}.",
            "Set http01.ingress.class: istio so Istio's ingress gateway serves the challenge on port 80, or use a DNS-01 solver.");
    }

    private static (VirtualService Vs, int Rule)? FirstChallengeRoute(
        AnalysisContext context, List<(Gateway Gateway, Server Server, int Index)> port80, string dnsName)
    {
        var gateways = port80.Select(e => e.Gateway).Distinct().ToList();
        foreach (var vs in context.Config.VirtualServices)
        {
            var bound = vs.Spec.Gateways
                .Select(g => GatewayReferences.Resolve(g, vs.Metadata.Namespace))
                .OfType<(string Namespace, string Name)>()
                .Any(n => gateways.Any(g => g.Metadata.Namespace == n.Namespace && g.Metadata.Name == n.Name));
            if (!bound || !vs.Spec.Hosts.Any(h => HostNames.Matches(h, dnsName)))
            {
                continue;
            }

            for (var i = 0; i < vs.Spec.Http.Count; i++)
            {
                if (vs.Spec.Http[i].Match.Any(TakesChallenge))
                {
                    return (vs, i);
                }
            }
        }

        return null;
    }

    /// <summary>Whether every destination of the rule is a Service selecting cert-manager's solver pods.</summary>
    private static bool RoutesToSolver(AnalysisContext context, VirtualService vs, int rule)
    {
        var index = ConfigIndex.For(context.Config);
        var destinations = vs.Spec.Http[rule].Route;
        return destinations.Count > 0 && destinations.All(d =>
            d.Destination?.Host is { } host
            && index.FindService(HostNames.ResolveShortName(host, vs.Metadata.Namespace)) is { } service
            && service.Spec.Selector.TryGetValue("acme.cert-manager.io/http01-solver", out var value) && value == "true");
    }

    /// <summary>A match (not a catch-all, which Istio moves after the solver's route) that the challenge request meets.</summary>
    private static bool TakesChallenge(HttpMatchRequest match)
    {
        if (MatchCoverage.IsCatchAll(match) || match.Port is not (null or 80) || match.Headers.Count > 0
            || match.QueryParams.Count > 0 || match.WithoutHeaders.Count > 0 || match.Authority is not null
            || match.Scheme is not null || match.Method is not (null or { Exact: "GET" }))
        {
            return false;
        }

        var probe = new HttpMatchRequest { Uri = new StringMatch { Exact = ChallengePath } };
        return MatchCoverage.Covers(match with { Port = null, Method = null, Name = null }, probe);
    }

    private static Service? GatewayServiceWithoutPort80(AnalysisContext context)
    {
        var services = context.Config.Services
            .Where(s => s.Metadata.Namespace == context.GatewayNamespace
                && s.Spec.Selector.TryGetValue("istio", out var value) && value == "ingressgateway")
            .ToList();
        return services.Count > 0 && !services.Any(s => s.Spec.Ports.Any(p => p.Port == 80))
            ? services[0]
            : null;
    }
}

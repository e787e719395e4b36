using Ingress.Config.Credentials;
using Ingress.Config.Model;

namespace Ingress.Config.GatewayApi;

/// <summary>
/// A listener's facts as Istio's controller reads them (<c>conversion.go: buildListener, buildTLS,
/// namespacesFromSelector</c>, <c>conditions.go: generateSupportedKinds</c>): its conditions, its certificates, the
/// namespaces and kinds of routes it admits.
/// </summary>
internal sealed class ListenerResolver(ConfigSet config, ReferenceGrants grants, GatewayApiOptions options)
{
    private const string HttpRouteKind = "HTTPRoute";
    private const string GrpcRouteKind = "GRPCRoute";

    /// <summary>The listener with its conditions (routes are attached later) and what it admits.</summary>
    public ListenerFacts Resolve(KubernetesGateway gateway, Listener listener, int index)
    {
        var path = $"spec.listeners[{index}]";
        var accepted = new StatusCondition(ConditionTypes.Accepted, true, ConditionReasons.Accepted, "No errors found");
        var programmed = new StatusCondition(ConditionTypes.Programmed, true, ConditionReasons.Programmed, "No errors found");
        var resolvedRefs = new StatusCondition(ConditionTypes.ResolvedRefs, true, ConditionReasons.ResolvedRefs, "No errors found");
        var conflicted = new StatusCondition(ConditionTypes.Conflicted, false, ConditionReasons.NoConflicts, "No errors found");
        var protocol = listener.Protocol ?? "";
        var serves = true;

        if (ProtocolProblem(protocol) is { } unsupported)
        {
            accepted = new StatusCondition(ConditionTypes.Accepted, false, ConditionReasons.UnsupportedProtocol, unsupported) { FieldPath = $"{path}.protocol" };
            programmed = NotProgrammed("the listener is not served: its protocol is not supported", $"{path}.protocol");
            serves = false;
        }

        var certificates = new List<(string Namespace, string Name)>();
        if (serves && protocol == "HTTPS")
        {
            if (listener.Tls is null)
            {
                accepted = new StatusCondition(ConditionTypes.Accepted, false, ConditionReasons.UnsupportedValue,
                    "protocol HTTPS needs tls with certificateRefs; add tls.certificateRefs naming the Secret of the certificate") { FieldPath = path };
                programmed = NotProgrammed("Bad TLS configuration", path);
                serves = false;
            }
            else if (Certificates(gateway, listener, path, certificates) is { } tlsProblem)
            {
                resolvedRefs = tlsProblem;
                programmed = NotProgrammed("Bad TLS configuration", tlsProblem.FieldPath);
                serves = false;
            }
        }

        var (supported, kindsValid) = SupportedKinds(listener, protocol);
        if (!kindsValid)
        {
            resolvedRefs = new StatusCondition(ConditionTypes.ResolvedRefs, false, ConditionReasons.InvalidRouteKinds,
                "Invalid route kinds") { FieldPath = $"{path}.allowedRoutes.kinds" };
        }

        return new ListenerFacts
        {
            Listener = new ResolvedListener
            {
                Name = listener.Name ?? "",
                Index = index,
                Port = listener.Port ?? 0,
                Protocol = protocol,
                Hostname = string.IsNullOrEmpty(listener.Hostname) ? Hostnames.Any : listener.Hostname,
                Certificates = certificates,
                Serves = serves,
                SupportedKinds = supported,
                Conditions = [accepted, conflicted, programmed, resolvedRefs],
            },
            AllowsNamespace = NamespaceFilter(gateway, listener),
        };
    }

    /// <summary>Istio's <c>listenerProtocolToIstio</c>: HTTP and HTTPS are served; TLS and TCP only with alpha APIs on.</summary>
    private static string? ProtocolProblem(string protocol) => protocol switch
    {
        "HTTP" or "HTTPS" => null,
        "TLS" or "TCP" => $"protocol \"{protocol}\" is supported, but only when PILOT_ENABLE_ALPHA_GATEWAY_API=true is configured",
        "HBONE" => $"protocol \"{protocol}\" is only supported for waypoint proxies",
        _ when protocol.ToUpperInvariant() is "HTTP" or "HTTPS" or "TLS" or "TCP" or "HBONE" =>
            $"protocol \"{protocol}\" is unsupported. hint: \"{protocol.ToUpperInvariant()}\" (uppercase) may be supported",
        _ => $"protocol \"{protocol}\" is unsupported",
    };

    private static StatusCondition NotProgrammed(string message, string? fieldPath) =>
        new(ConditionTypes.Programmed, false, ConditionReasons.Invalid, message) { FieldPath = fieldPath };

    /// <summary>
    /// The listener's usable certificates, or the ResolvedRefs problem when none is usable (Istio serves with the usable
    /// ones and says nothing of the others).
    /// </summary>
    private StatusCondition? Certificates(KubernetesGateway gateway, Listener listener, string path,
        List<(string Namespace, string Name)> usable)
    {
        var tls = listener.Tls!;
        if (tls.Mode != "Terminate")
        {
            return null;
        }

        var gatewayNamespace = gateway.Metadata.Namespace;
        if (tls.CertificateRefs.Count > 2)
        {
            return new StatusCondition(ConditionTypes.ResolvedRefs, false, ConditionReasons.InvalidCertificateRef,
                "TLS mode can only support up to 2 server certificates") { FieldPath = $"{path}.tls.certificateRefs" };
        }

        StatusCondition? first = null;
        var messages = new List<string>();
        for (var i = 0; i < tls.CertificateRefs.Count; i++)
        {
            var reference = tls.CertificateRefs[i];
            var refPath = $"{path}.tls.certificateRefs[{i}]";
            var ns = reference.Namespace ?? gatewayNamespace;
            var problem = CertificateProblem(gateway, listener, reference, ns);
            if (problem is null && !grants.Allows("Gateway", gatewayNamespace, "Secret", ns, reference.Name ?? ""))
            {
                problem = (ConditionReasons.RefNotPermitted,
                    $"certificateRef {reference.Name}/{ns} not accessible to a Gateway in namespace \"{gatewayNamespace}\" (missing a ReferenceGrant?)");
            }

            if (problem is { } found)
            {
                first ??= new StatusCondition(ConditionTypes.ResolvedRefs, false, found.Reason, found.Message) { FieldPath = refPath };
                messages.Add(found.Message);
                continue;
            }

            usable.Add((ns, reference.Name ?? ""));
        }

        return usable.Count > 0 || first is null ? null : first with { Message = string.Join("; ", messages) };
    }

    private (string Reason, string Message)? CertificateProblem(KubernetesGateway gateway, Listener listener,
        SecretObjectReference reference, string ns)
    {
        var shown = $"{reference.Group}/{reference.Kind}/{reference.Name}.{reference.Namespace}";
        if (reference.Group != "" || reference.Kind != "Secret")
        {
            return (ConditionReasons.InvalidCertificateRef, $"invalid certificate reference {shown}, only secret is allowed");
        }

        var secret = config.Find<Secret>(ns, reference.Name ?? "");
        if (secret is null)
        {
            return IssuedByCertManager(gateway, listener, ns, reference.Name ?? "")
                ? null
                : (ConditionReasons.InvalidCertificateRef, $"invalid certificate reference {shown}, secret {ns}/{reference.Name} not found");
        }

        return GatewayCredential.Problem(secret, options.Now) is { } problem
            ? (ConditionReasons.InvalidCertificateRef, $"invalid certificate reference {shown}, the certificate is malformed: {problem}")
            : null;
    }

    /// <summary>
    /// Whether cert-manager will write the Secret: a Certificate in the configuration names it, or the Gateway carries
    /// cert-manager's issuer annotation, for which cert-manager's gateway-shim issues a certificate per listener with a
    /// hostname into the Secrets its certificateRefs name in the Gateway's namespace.
    /// </summary>
    private bool IssuedByCertManager(KubernetesGateway gateway, Listener listener, string ns, string name)
    {
        if (config.OfType<Certificate>().Any(c => c.Metadata.Namespace == ns && c.Spec.SecretName == name))
        {
            return true;
        }

        var annotations = gateway.Metadata.Annotations;
        return (annotations.ContainsKey("cert-manager.io/issuer") || annotations.ContainsKey("cert-manager.io/cluster-issuer")) &&
               ns == gateway.Metadata.Namespace && !string.IsNullOrEmpty(listener.Hostname);
    }

    /// <summary>
    /// The route kinds the listener supports, narrowed to <c>allowedRoutes.kinds</c> when given; invalid when a kind
    /// named there is not supported.
    /// </summary>
    private static (IReadOnlyList<string> Kinds, bool Valid) SupportedKinds(Listener listener, string protocol)
    {
        IReadOnlyList<string> supported = protocol is "HTTP" or "HTTPS" ? [HttpRouteKind, GrpcRouteKind] : [];
        var kinds = listener.AllowedRoutes?.Kinds ?? [];
        if (kinds.Count == 0)
        {
            return (supported, true);
        }

        var named = supported.Where(s => kinds.Any(k => k.Kind == s && (k.Group ?? GatewayApiPatterns.ApiGroup) == GatewayApiPatterns.ApiGroup)).ToList();
        return (named, named.Count == kinds.Count);
    }

    /// <summary>
    /// Which route namespaces the listener admits: its own (<c>Same</c>, the default), any (<c>All</c>), or those whose
    /// Namespace object in the configuration matches the selector; null for a namespace the selector cannot be judged
    /// against (no Namespace object given).
    /// </summary>
    private Func<string, bool?> NamespaceFilter(KubernetesGateway gateway, Listener listener)
    {
        var from = listener.AllowedRoutes?.Namespaces;
        switch (from?.From)
        {
            case null or "Same":
                return ns => ns == gateway.Metadata.Namespace;
            case "All":
                return _ => true;
        }

        if (from.Selector is not { } selector)
        {
            return _ => true;
        }

        return ns => config.OfType<Model.Namespace>().FirstOrDefault(n => n.Metadata.Name == ns) is { } found
            ? LabelSelectors.Matches(selector, LabelSelectors.NamespaceLabels(ns, found.Metadata.Labels)) == true
            : null;
    }
}

/// <summary>A listener as resolved before routes attach, with its admission rule.</summary>
internal sealed class ListenerFacts
{
    public required ResolvedListener Listener { get; init; }

    /// <summary>Whether routes from a namespace may attach: true, false, or null when it cannot be told.</summary>
    public required Func<string, bool?> AllowsNamespace { get; init; }
}

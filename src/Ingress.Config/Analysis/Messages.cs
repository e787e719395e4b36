using System.Text;
using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis;

/// <summary>
/// Every message the analyzers report. IST codes, names, severities and templates are Istio's
/// (<c>pkg/config/analysis/msg/messages.yaml</c>); ING2xxx are this project's own checks where Istio has none.
/// Codes are never reused: a retired check keeps its number.
/// </summary>
public static class Messages
{
    public static readonly MessageType InternalError = new(
        "IST0001", "InternalError", Severity.Error,
        "Internal error: {0}",
        "There was an internal error in the toolchain. This is almost always a bug in the implementation.");

    public static readonly MessageType Deprecated = new(
        "IST0002", "Deprecated", Severity.Warning,
        "Deprecated: {0}",
        "A feature that the configuration is depending on is now deprecated.");

    public static readonly MessageType ReferencedResourceNotFound = new(
        "IST0101", "ReferencedResourceNotFound", Severity.Error,
        "Referenced {0} not found: {1}",
        "A resource being referenced does not exist.");

    public static readonly MessageType NamespaceNotInjected = new(
        "IST0102", "NamespaceNotInjected", Severity.Info,
        "The namespace is not enabled for Istio injection. Run 'kubectl label namespace {0} istio-injection=enabled' to enable it, or 'kubectl label namespace {0} istio-injection=disabled' to explicitly mark it as not needing injection.",
        "A namespace is not enabled for Istio injection.");

    public static readonly MessageType PodMissingProxy = new(
        "IST0103", "PodMissingProxy", Severity.Warning,
        "The pod {0} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.",
        "A pod is missing the Istio proxy.");

    public static readonly MessageType ConflictingMeshGatewayVirtualServiceHosts = new(
        "IST0109", "ConflictingMeshGatewayVirtualServiceHosts", Severity.Error,
        "The VirtualServices {0} associated with mesh gateway define the same host {1} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.",
        "Conflicting hosts on VirtualServices associated with mesh gateway.");

    public static readonly MessageType VirtualServiceDestinationPortSelectorRequired = new(
        "IST0112", "VirtualServiceDestinationPortSelectorRequired", Severity.Error,
        "This VirtualService routes to a service {0} that exposes multiple ports {1}. Specifying a port in the destination is required to disambiguate.",
        "A VirtualService routes to a service with more than one port exposed, but does not specify which to use.");

    public static readonly MessageType PortNameIsNotUnderNamingConvention = new(
        "IST0118", "PortNameIsNotUnderNamingConvention", Severity.Info,
        "Port name {0} (port: {1}, targetPort: {2}) doesn't follow the naming convention of Istio port.",
        "Port name is not under naming convention. Protocol detection is applied to the port.");

    public static readonly MessageType NamespaceMultipleInjectionLabels = new(
        "IST0123", "NamespaceMultipleInjectionLabels", Severity.Warning,
        "The namespace has more than one type of injection labels {0}, which may lead to undefined behavior. Make sure only one injection label exists.",
        "A namespace has more than one type of injection labels.");

    public static readonly MessageType NoMatchingWorkloadsFound = new(
        "IST0127", "NoMatchingWorkloadsFound", Severity.Warning,
        "No matching workloads for this resource with the following labels: {0}",
        "There aren't workloads matching the resource labels.");

    public static readonly MessageType NoServerCertificateVerificationDestinationLevel = new(
        "IST0128", "NoServerCertificateVerificationDestinationLevel", Severity.Warning,
        "DestinationRule {0} in namespace {1} has TLS mode set to {2} but no caCertificates are set to validate server identity for host: {3}",
        "No caCertificates are set in DestinationRule, this results in no verification of presented server certificate.");

    public static readonly MessageType NoServerCertificateVerificationPortLevel = new(
        "IST0129", "NoServerCertificateVerificationPortLevel", Severity.Warning,
        "DestinationRule {0} in namespace {1} has TLS mode set to {2} but no caCertificates are set to validate server identity for host: {3} at port {4}",
        "No caCertificates are set in DestinationRule, this results in no verification of presented server certificate for traffic to a given port.");

    public static readonly MessageType VirtualServiceUnreachableRule = new(
        "IST0130", "VirtualServiceUnreachableRule", Severity.Warning,
        "VirtualService rule {0} not used ({1}).",
        "A VirtualService rule will never be used because a previous rule uses the same match.");

    public static readonly MessageType VirtualServiceIneffectiveMatch = new(
        "IST0131", "VirtualServiceIneffectiveMatch", Severity.Info,
        "VirtualService rule {0} match {1} is not used (duplicate/overlapping match in rule {2}).",
        "A VirtualService rule match duplicates a match in a previous rule.");

    public static readonly MessageType VirtualServiceHostNotFoundInGateway = new(
        "IST0132", "VirtualServiceHostNotFoundInGateway", Severity.Warning,
        "one or more host {0} defined in VirtualService {1} not found in Gateway {2}.",
        "Host defined in VirtualService not found in Gateway.");

    public static readonly MessageType IngressRouteRulesNotAffected = new(
        "IST0140", "IngressRouteRulesNotAffected", Severity.Warning,
        "Subset in virtual service {0} has no effect on ingress gateway {1} requests",
        "Route rules have no effect on ingress gateway requests");

    public static readonly MessageType GatewayDuplicateCertificate = new(
        "IST0138", "GatewayDuplicateCertificate", Severity.Warning,
        "Duplicate certificate in multiple gateways {0} may cause 404s if clients re-use HTTP2 connections.",
        "Duplicate certificate in multiple gateways may cause 404s if clients re-use HTTP2 connections.");

    public static readonly MessageType ConflictingGateways = new(
        "IST0145", "ConflictingGateways", Severity.Error,
        "Conflict with gateways {0} (workload selector {1}, port {2}, hosts {3}).",
        "Gateway should not have the same selector, port and matched hosts of server.");

    public static readonly MessageType JwtClaimBasedRoutingWithoutRequestAuthN = new(
        "IST0149", "JwtClaimBasedRoutingWithoutRequestAuthN", Severity.Error,
        "The virtual service uses the JWT claim based routing (key: {0}) but found no request authentication for the gateway ({1}) pod ({2}). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.",
        "Virtual service using JWT claim based routing without request authentication.");

    public static readonly MessageType InvalidTelemetryProvider = new(
        "IST0157", "InvalidTelemetryProvider", Severity.Warning,
        "The Telemetry {0} in namespace {1} with empty providers will be ignored.",
        "The Telemetry with empty providers will be ignored");

    public static readonly MessageType ConflictingTelemetryWorkloadSelectors = new(
        "IST0159", "ConflictingTelemetryWorkloadSelectors", Severity.Error,
        "The Telemetries {0} in namespace {1} select the same workload pod {2}, which can lead to undefined behavior.",
        "A Telemetry resource selects the same workloads as another Telemetry resource");

    public static readonly MessageType MultipleTelemetriesWithoutWorkloadSelectors = new(
        "IST0160", "MultipleTelemetriesWithoutWorkloadSelectors", Severity.Error,
        "The Telemetries {0} in namespace {1} have no workload selector, which can lead to undefined behavior.",
        "More than one telemetry resource in a namespace has no workload selector");

    public static readonly MessageType InvalidGatewayCredential = new(
        "IST0161", "InvalidGatewayCredential", Severity.Error,
        "The credential referenced by the Gateway {0} in namespace {1} is invalid, which can cause the traffic not to work as expected.",
        "The credential provided for the Gateway resource is invalid.");

    public static readonly MessageType GatewayPortNotDefinedOnService = new(
        "IST0162", "GatewayPortNotDefinedOnService", Severity.Warning,
        "The gateway is listening on a target port (port {0}) that is not defined in the Service associated with its workload instances (Pod selector {1}). If you need to access the gateway port through the gateway Service, it will not be available.",
        "Gateway port not exposed by service.");

    public static readonly MessageType IneffectiveSelector = new(
        "IST0166", "IneffectiveSelector", Severity.Warning,
        "Ineffective selector on Kubernetes Gateway {0}. Use the TargetRef field instead.",
        "A policy's workload selector matches the pods of a Kubernetes Gateway API Gateway, which policies should name with targetRefs.");

    public static readonly MessageType NegativeConditionStatus = new(
        "IST0171", "NegativeConditionStatus", Severity.Warning,
        "A condition with a negative status is present: type={0}, reason={1}, message={2}.",
        "A resource has a status condition that shows a problem.");

    public static readonly MessageType ReferencedInternalGateway = new(
        "IST0165", "ReferencedInternalGateway", Severity.Warning,
        "Gateway reference in VirtualService {0} is to an implementation-generated internal Gateway: {1}.",
        "A VirtualService references an internal Gateway that Istio generates for a Kubernetes Gateway API Gateway");

    public static readonly MessageType DestinationRuleSubsetNotSelectPods = new(
        "IST0173", "DestinationRuleSubsetNotSelectPods", Severity.Error,
        "The Subset {0} defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
        "Subsets defined in destination does not select any pods.");

    public static readonly MessageType UnknownDestinationRuleHost = new(
        "IST0174", "UnknownDestinationRuleHost", Severity.Warning,
        "The host {0} defined in the DestinationRule does not match any services in the mesh.",
        "Host defined in destination rule does not match any services in the mesh.");

    // ---- This project's own checks (ING2xxx). ING1xxx are the loader's and validator's codes. ----

    public static readonly MessageType MatchItemsOred = new(
        "ING2001", "MatchItemsOred", Severity.Warning,
        "Match items are OR-ed: {0} has only {1}, so rule {2} takes every request {3}, not only those matching {4}.",
        "A match list has an item whose only condition is a static selector (port, gateways, sourceLabels, sourceNamespace) next to items with request conditions; it was almost certainly meant to be ANDed with them.");

    public static readonly MessageType AcmeHttp01ChallengeNotServed = new(
        "ING2002", "AcmeHttp01ChallengeNotServed", Severity.Error,
        "Certificate {0} is issued by ACME {1} {2} with an HTTP-01 solver, but the challenge for {3} cannot be answered on port 80: {4}",
        "An ACME HTTP-01 challenge (GET http://<name>/.well-known/acme-challenge/<token> on port 80) cannot reach cert-manager's solver through the ingress gateway, so the certificate is never issued.");

    public static readonly MessageType IssuerNotInCertificateNamespace = new(
        "ING2003", "IssuerNotInCertificateNamespace", Severity.Error,
        "Issuer {0} is not in namespace {1}, the Certificate's namespace; it exists in namespace {2}.",
        "A Certificate refers to an Issuer (a namespaced kind) that exists only in another namespace; cert-manager only uses Issuers from the Certificate's own namespace.");

    public static readonly MessageType CertificateSecretNotReadableByGateway = new(
        "ING2004", "CertificateSecretNotReadableByGateway", Severity.Error,
        "Certificate {0} writes Secret {1} in namespace {2}, but Gateway {3} reads credentialName {1} from namespace {4}, where its gateway workload runs.",
        "A cert-manager Certificate writes the Secret a Gateway uses into a namespace the gateway workload cannot read credentials from.");

    public static readonly MessageType StrictMtlsWithoutSidecar = new(
        "ING2005", "StrictMtlsWithoutSidecar", Severity.Warning,
        "PeerAuthentication {0} requires STRICT mutual TLS for {1}, but namespace {2} is not labelled for sidecar injection, so the workload has no proxy to enforce it and accepts plain text.",
        "A STRICT PeerAuthentication targets workloads in a namespace without sidecar injection; nothing enforces mutual TLS for them.");

    public static readonly MessageType MixedProtocolsOnPort = new(
        "ING2006", "MixedProtocolsOnPort", Severity.Warning,
        "Port {0} is served as {1} by {2}, so Istio drops {4} ({3}): servers on one port and bind share a listener only when both are HTTP, HTTP2 or GRPC, or when the first uses TLS and the later one has TLS settings too.",
        "A server of a gateway workload uses a port with a protocol that cannot share the listener an earlier server made (HTTPS after HTTP, HTTP after HTTPS, TCP after TCP); Istio drops it.");

    public static readonly MessageType DuplicateTlsHostOnPort = new(
        "ING2007", "DuplicateTlsHostOnPort", Severity.Warning,
        "Host {0} is already declared with TLS settings on port {1} by {2}, so Istio drops {3}: two filter chains would match the same server name.",
        "A server declares, with TLS settings, a host an earlier server of the same gateway workload declares on the same port and bind (in the same Gateway or another); Istio drops the later server.");

    public static readonly MessageType MutualTlsWithoutCaCertificate = new(
        "ING2008", "MutualTlsWithoutCaCertificate", Severity.Error,
        "Server {0} uses tls.mode {1} with credentialName {2}, but neither Secret {3} nor a ca.crt/cacert key in Secret {4} holds the CA to verify client certificates.",
        "A MUTUAL or OPTIONAL_MUTUAL server has no CA certificate to verify clients with, so every TLS handshake fails.");

    public static readonly MessageType AuthorizationPolicyNeverMatches = new(
        "ING2009", "AuthorizationPolicyNeverMatches", Severity.Warning,
        "Rule {0} of this {1} policy can never match: {2}",
        "An AuthorizationPolicy rule can never match a request (for example methods that are not HTTP methods, or notPaths covering every path).");

    public static readonly MessageType AllowNothingPolicy = new(
        "ING2010", "AllowNothingPolicy", Severity.Info,
        "ALLOW policy has no rules, so it matches no request: every request to {0} is denied with 403 unless another ALLOW policy matches it.",
        "An ALLOW AuthorizationPolicy without rules allows nothing (rules: [{}] would allow everything).");

    public static readonly MessageType RequestPrincipalWithoutRequestAuthentication = new(
        "ING2011", "RequestPrincipalWithoutRequestAuthentication", Severity.Warning,
        "Rule {0} uses {1}, but no RequestAuthentication applies to {2}, so no request carries a verified JWT and {3}.",
        "An AuthorizationPolicy rule depends on a JWT (requestPrincipals or request.auth.*) for workloads that no RequestAuthentication covers.");

    public static readonly MessageType JwksUriNotFetchedLocally = new(
        "ING2012", "JwksUriNotFetchedLocally", Severity.Warning,
        "jwksUri {0} of issuer {1} is not on this machine, and the local gateway only fetches keys from http or https URLs on loopback, so in a local run every token of this issuer is refused with 401 \"Jwks remote fetch is failed\".",
        "In a local run (ingress analyze --local), a RequestAuthentication jwksUri that the local gateway will not fetch: tokens of that issuer are refused locally though they work on a cluster.");

    public static readonly MessageType PrefixRewriteDoubleSlash = new(
        "ING2013", "PrefixRewriteDoubleSlash", Severity.Warning,
        "Rule {0} rewrites the uri prefix {1} to {2}, which Istio passes to Envoy as prefix_rewrite: the matched characters are replaced and the rest kept, so {3} is forwarded as {4}.",
        "A rewrite.uri of \"/\" (or one ending in \"/\") after a prefix match that does not end in \"/\" doubles the slash in every forwarded path.");

    // ---- Gateway API (ING21xx). ----

    public static readonly MessageType GatewayApiRuleShadowed = new(
        "ING2101", "GatewayApiRuleShadowed", Severity.Warning,
        "{0} is never used: {1} is tried before it and matches every request it matches ({2}).",
        "An HTTPRoute or GRPCRoute rule can never match: under the Gateway API's precedence, in Istio's order, an earlier rule on the same listener and hostname takes all its requests.");

    /// <summary>The whole catalogue, ordered by code.</summary>
    public static IReadOnlyList<MessageType> All { get; } =
    [
        InternalError, Deprecated, ReferencedResourceNotFound, NamespaceNotInjected, PodMissingProxy, ConflictingMeshGatewayVirtualServiceHosts,
        VirtualServiceDestinationPortSelectorRequired, PortNameIsNotUnderNamingConvention,
        NamespaceMultipleInjectionLabels, NoMatchingWorkloadsFound, NoServerCertificateVerificationDestinationLevel,
        NoServerCertificateVerificationPortLevel, VirtualServiceUnreachableRule, VirtualServiceIneffectiveMatch,
        VirtualServiceHostNotFoundInGateway, GatewayDuplicateCertificate, IngressRouteRulesNotAffected,
        ConflictingGateways, JwtClaimBasedRoutingWithoutRequestAuthN, InvalidTelemetryProvider,
        ConflictingTelemetryWorkloadSelectors, MultipleTelemetriesWithoutWorkloadSelectors, InvalidGatewayCredential,
        GatewayPortNotDefinedOnService, IneffectiveSelector, NegativeConditionStatus, ReferencedInternalGateway,
        DestinationRuleSubsetNotSelectPods, UnknownDestinationRuleHost,
        MatchItemsOred, AcmeHttp01ChallengeNotServed, IssuerNotInCertificateNamespace,
        CertificateSecretNotReadableByGateway, StrictMtlsWithoutSidecar, MixedProtocolsOnPort, DuplicateTlsHostOnPort,
        MutualTlsWithoutCaCertificate, AuthorizationPolicyNeverMatches, AllowNothingPolicy,
        RequestPrincipalWithoutRequestAuthentication, JwksUriNotFetchedLocally, PrefixRewriteDoubleSlash,
        GatewayApiRuleShadowed,
    ];

    /// <summary>A string quoted as Go's <c>%q</c> prints it, as Istio's templates do.</summary>
    public static string Quote(string? value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value ?? "")
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    /// <summary>A list printed as Go's <c>%v</c> prints a slice: <c>[a b]</c>.</summary>
    public static string GoList<T>(IEnumerable<T> items) => "[" + string.Join(' ', items) + "]";
}

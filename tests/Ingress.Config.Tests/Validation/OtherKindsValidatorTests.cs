using Ingress.Config.Diagnostics;
using static Ingress.Config.Tests.Validation.ValidationTestHelper;

namespace Ingress.Config.Tests.Validation;

public class OtherKindsValidatorTests
{
    [Fact]
    public void Rejects_destination_rule_subset_and_policy_mistakes()
    {
        var diagnostics = Validate("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: web}
            spec:
              host: web.default.svc.cluster.local
              trafficPolicy:
                loadBalancer: {simple: FASTEST}
                tls: {mode: MUTUAL}
              subsets:
              - name: v1
                labels: {version: v1}
              - name: v1
                labels: {version: v2}
              - name: V_2
            """);

        Assert.Equal(
            [("ING1305", Severity.Error, "spec.trafficPolicy.loadBalancer.simple", 7,
              "spec.trafficPolicy.loadBalancer.simple: unknown load balancer \"FASTEST\"; use one of UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST"),
             ("ING1308", Severity.Error, "spec.trafficPolicy.tls.clientCertificate", 8,
              "spec.trafficPolicy.tls.clientCertificate: client certificate required for mutual tls"),
             ("ING1308", Severity.Error, "spec.trafficPolicy.tls.privateKey", 8,
              "spec.trafficPolicy.tls.privateKey: private key required for mutual tls"),
             ("ING1302", Severity.Error, "spec.subsets[1].name", 12, "spec.subsets[1].name: duplicate subset names: v1"),
             ("ING1302", Severity.Error, "spec.subsets[2].name", 14, "spec.subsets[2].name: subset name is invalid: V_2"),
             ("ING1303", Severity.Warning, "spec.subsets[2]", 14,
              "spec.subsets[2]: subset V_2 has no labels, so it selects every endpoint of web.default.svc.cluster.local; add the labels that tell its pods apart (e.g. version: v2)")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Rejects_authorization_policy_mistakes()
    {
        var diagnostics = Validate("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: authz, namespace: istio-system}
            spec:
              selector: {matchLabels: {istio: ingressgateway}}
              action: CUSTOM
              rules:
              - to:
                - operation: {ports: ["80x"], paths: [admin]}
                when:
                - key: request.header[x-user]
                  values: [bob]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny}
            spec:
              action: REJECT
            """);

        Assert.Equal(
            [("ING1403", Severity.Error, "spec.action", 6,
              "spec.action: `provider.name` must not be empty (a CUSTOM action names its external authorizer in provider.name)"),
             ("ING1404", Severity.Error, "spec.rules[0].to[0].operation.ports[0]", 9,
              "spec.rules[0].to[0].operation.ports[0]: bad port (80x): a port is a number from 0 to 65535"),
             ("ING1405", Severity.Error, "spec.rules[0].when[0].values", 12,
              "spec.rules[0].when[0].values: invalid `value` for `key` request.header[x-user]: unknown attribute: request.header[x-user] (Istio knows request.headers[<name>], source.ip, remote.ip, source.namespace, source.principal, request.auth.principal, request.auth.audiences, request.auth.presenter, request.auth.claims[<name>], destination.ip, destination.port and connection.sni)"),
             ("ING1405", Severity.Error, "spec.rules[0].when[0].notValues", 11,
              "spec.rules[0].when[0].notValues: invalid `notValue` for `key` request.header[x-user]: unknown attribute: request.header[x-user] (Istio knows request.headers[<name>], source.ip, remote.ip, source.namespace, source.principal, request.auth.principal, request.auth.audiences, request.auth.presenter, request.auth.claims[<name>], destination.ip, destination.port and connection.sni)"),
             ("ING1402", Severity.Error, "spec.action", 18,
              "spec.action: unknown action \"REJECT\"; use one of ALLOW, DENY, AUDIT, CUSTOM")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Rejects_request_and_peer_authentication_mistakes()
    {
        var diagnostics = Validate("""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt}
            spec:
              jwtRules:
              - jwksUri: "not a url"
                jwks: '{"keys": []}'
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: strict}
            spec:
              mtls: {mode: STRIKT}
              portLevelMtls:
                "8080": {mode: DISABLE}
            """);

        Assert.Equal(
            [("ING1406", Severity.Error, "spec.jwtRules[0].jwks", 7,
              "spec.jwtRules[0].jwks: only one of jwks or jwksUri may be set: jwks holds the keys inline, jwksUri fetches them"),
             ("ING1406", Severity.Error, "spec.jwtRules[0].jwksUri", 6,
              "spec.jwtRules[0].jwksUri: URI scheme \"\" is not supported: use an absolute http:// or https:// URL"),
             ("ING1408", Severity.Error, "spec.portLevelMtls", 14,
              "spec.portLevelMtls: mesh/namespace peer authentication cannot have port level mTLS (add a selector naming the workload)"),
             ("ING1407", Severity.Error, "spec.mtls.mode", 13,
              "spec.mtls.mode: unknown mTLS mode \"STRIKT\"; use one of UNSET, DISABLE, PERMISSIVE, STRICT")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Rejects_telemetry_sampling_out_of_range_and_an_unnamed_provider()
    {
        var diagnostics = Validate("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              tracing:
              - providers: [{name: ""}]
                randomSamplingPercentage: 150
                customTags:
                  env: {literal: {value: ""}}
            """);

        Assert.Equal(
            [("ING1502", Severity.Error, "spec.tracing[0].providers[0].name", 6,
              "spec.tracing[0].providers[0].name: providers.name may not be empty"),
             ("ING1501", Severity.Error, "spec.tracing[0].randomSamplingPercentage", 7,
              "spec.tracing[0].randomSamplingPercentage: randomSamplingPercentage must be in range [0.0, 100.0]"),
             ("ING1501", Severity.Error, "spec.tracing[0].customTags.env.literal", 9,
              "spec.tracing[0].customTags.env.literal: literal tag value may not be empty")],
            Summaries(diagnostics));
    }

    [Fact]
    public void Accepts_the_users_issuer_and_certificate()
    {
        foreach (var name in new[] { "istio-issuer.yaml", "istio-cert.yaml" })
        {
            Assert.Empty(Validate(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "seed", name))));
        }
    }

    [Fact]
    public void Rejects_cert_manager_mistakes()
    {
        var diagnostics = Validate("""
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata: {name: le}
            spec:
              acme:
                server: https://acme-v02.api.letsencrypt.org/directory
                solvers:
                - http01: {ingress: {class: istio}}
                  dns01: {}
              selfSigned: {}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: web}
            spec:
              issuerRef: {name: le, kind: Issuers}
              usages: [digital signature, server-auth]
              duration: 30m
            """);

        Assert.Equal(
            [("ING1601", Severity.Error, "spec.selfSigned", 10,
              "spec.selfSigned: may not specify more than one issuer type (found acme and selfSigned)"),
             ("ING1602", Severity.Error, "spec.acme.privateKeySecretRef.name", 5,
              "spec.acme.privateKeySecretRef.name: private key secret name is a required field"),
             ("ING1602", Severity.Error, "spec.acme.solvers[0]", 8,
              "spec.acme.solvers[0]: may not specify more than one solver type in a single solver"),
             ("ING1603", Severity.Error, "spec.secretName", 15,
              "spec.secretName: secretName must be specified: the Secret the certificate is written to"),
             ("ING1604", Severity.Error, "spec.issuerRef.kind", 16,
              "spec.issuerRef.kind: issuerRef.kind \"Issuers\" must be Issuer or ClusterIssuer"),
             ("ING1605", Severity.Error, "spec", 15,
              "spec: at least one of commonName (from the commonName field or from a literalSubject), dnsNames, uriSANs, ipAddresses, emailSANs or otherNames must be set"),
             ("ING1606", Severity.Error, "spec.usages[1]", 17,
              "spec.usages[1]: unsupported value: \"server-auth\" (supported: any, cert sign, client auth, code signing, content commitment, crl sign, data encipherment, decipher only, digital signature, email protection, encipher only, ipsec end system, ipsec tunnel, ipsec user, key agreement, key encipherment, microsoft sgc, netscape sgc, ocsp signing, s/mime, server auth, signing, timestamping)"),
             ("ING1608", Severity.Error, "spec.duration", 18,
              "spec.duration: certificate duration 30m must be greater than 1h0m0s")],
            Summaries(diagnostics));
    }
}

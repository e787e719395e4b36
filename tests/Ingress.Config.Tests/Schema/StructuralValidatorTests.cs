using Ingress.Config.Loading;
using Ingress.Config.Schema;

namespace Ingress.Config.Tests.Schema;

public sealed class StructuralValidatorTests
{
    private const string AllTlsModes =
        "\"PASSTHROUGH\", \"SIMPLE\", \"MUTUAL\", \"AUTO_PASSTHROUGH\", \"ISTIO_MUTUAL\", \"OPTIONAL_MUTUAL\"";

    /// <summary>Loads one manifest and returns each finding as <c>file:line [code] message</c>.</summary>
    private static List<string> Validate(string yaml)
    {
        var loaded = ConfigLoader.LoadText(yaml.ReplaceLineEndings("\n"), "test.yaml", new LoadOptions());
        Assert.Equal([], loaded.Diagnostics.Select(d => d.ToString()));
        return loaded.Config.Resources
            .SelectMany(StructuralValidator.Validate)
            .Select(d => $"{d.Location} [{d.Code}] {d.Message}")
            .ToList();
    }

    private static string Gateway(string server) => $"""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: gw
        spec:
          selector:
            istio: ingressgateway
          servers:
        {server}
        """;

    [Fact]
    public void Accepts_a_valid_https_gateway()
    {
        var findings = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [example.com]
                tls: {mode: SIMPLE, credentialName: example-cert}
            """));

        Assert.Equal([], findings);
    }

    [Fact]
    public void Rejects_an_unknown_tls_mode_listing_the_supported_values()
    {
        var findings = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [example.com]
                tls:
                  mode: SIMPL
                  credentialName: example-cert
            """));

        Assert.Equal([$"test.yaml:12 [ING0901] spec.servers[0].tls.mode: Unsupported value: \"SIMPL\": supported values: {AllTlsModes}"], findings);
    }

    [Fact]
    public void Rejects_a_server_port_without_name_and_hosts_as_required_values()
    {
        var findings = Validate(Gateway("""
              - port:
                  number: 80
                  protocol: HTTP
            """));

        Assert.Equal(
        [
            "test.yaml:9 [ING0901] spec.servers[0].port.name: Required value",
            "test.yaml:9 [ING0901] spec.servers[0].hosts: Required value",
        ], findings);
    }

    [Fact]
    public void Rejects_a_negative_port_number_with_the_schema_minimum()
    {
        var findings = Validate(Gateway("""
              - port: {number: -1, name: http, protocol: HTTP}
                hosts: ["*"]
            """));

        Assert.Equal(["test.yaml:9 [ING0901] spec.servers[0].port.number: Invalid value: -1: spec.servers[0].port.number in body should be greater than or equal to 0"], findings);
    }

    [Fact]
    public void Rejects_three_credential_names_and_a_credential_name_beside_them()
    {
        var findings = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [example.com]
                tls:
                  mode: SIMPLE
                  credentialName: one
                  credentialNames: [a, b, c]
            """));

        Assert.Equal(
        [
            "test.yaml:11 [ING0902] spec.servers[0].tls: Invalid value: \"object\": only one of credentialName or credentialNames can be set",
            "test.yaml:14 [ING0901] spec.servers[0].tls.credentialNames: Too many: 3: must have at most 2 items",
        ], findings);
    }

    [Fact]
    public void Rejects_an_empty_credential_names_list_written_explicitly()
    {
        var findings = Validate(Gateway("""
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: [example.com]
                tls:
                  mode: SIMPLE
                  credentialNames: []
            """));

        Assert.Equal(["test.yaml:13 [ING0901] spec.servers[0].tls.credentialNames: Invalid value: 0: spec.servers[0].tls.credentialNames in body should have at least 1 items"], findings);
    }

    private static string VirtualService(string http) => $"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: vs
        spec:
          hosts: [example.com]
          http:
        {http}
        """;

    [Fact]
    public void Rejects_a_uri_match_with_both_exact_and_prefix_as_the_oneOf_rule()
    {
        var findings = Validate(VirtualService("""
              - match:
                  - uri:
                      exact: /a
                      prefix: /b
                route:
                  - destination: {host: svc}
            """));

        Assert.Equal(["test.yaml:9 [ING0901] \"spec.http[0].match[0].uri\" must validate one and only one schema (oneOf). Found 2 valid alternatives"], findings);
    }

    [Fact]
    public void Rejects_durations_that_are_not_go_durations_of_at_least_a_millisecond()
    {
        var findings = Validate(VirtualService("""
              - route:
                  - destination: {host: svc}
                timeout: "10"
                retries:
                  attempts: 2
                  perTryTimeout: 0.5ms
              - route:
                  - destination: {host: svc}
                timeout: 1h30m
            """));

        Assert.Equal(
        [
            "test.yaml:10 [ING0902] spec.http[0].timeout: Invalid value: \"string\": must be a valid duration greater than 1ms",
            "test.yaml:13 [ING0902] spec.http[0].retries.perTryTimeout: Invalid value: \"string\": must be a valid duration greater than 1ms",
        ], findings);
    }

    [Fact]
    public void Rejects_a_direct_response_without_status_and_with_a_body_that_is_not_base64()
    {
        var findings = Validate(VirtualService("""
              - directResponse:
                  body:
                    bytes: not base64!
            """));

        Assert.Equal(
        [
            "test.yaml:8 [ING0901] spec.http[0].directResponse.status: Required value",
            "test.yaml:10 [ING0901] spec.http[0].directResponse.body.bytes: Invalid value: \"not base64!\": spec.http[0].directResponse.body.bytes in body must be of type byte: \"not base64!\"",
        ], findings);
    }

    [Fact]
    public void Rejects_a_route_destination_without_host()
    {
        var findings = Validate(VirtualService("""
              - route:
                  - destination:
                      subset: v1
            """));

        Assert.Equal(["test.yaml:9 [ING0901] spec.http[0].route[0].destination.host: Required value"], findings);
    }

    [Fact]
    public void Rejects_a_policy_with_both_selector_and_target_ref_and_a_bad_target_kind()
    {
        var findings = Validate("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: ap
            spec:
              selector:
                matchLabels:
                  app: "*"
              targetRef:
                kind: Bad_Kind
                name: gw
                namespace: other
            """);

        Assert.Equal(
        [
            "test.yaml:5 [ING0902] spec: Invalid value: \"object\": only one of targetRefs or selector can be set",
            "test.yaml:8 [ING0902] spec.selector.matchLabels.app: Invalid value: \"string\": wildcard not allowed in label value match",
            "test.yaml:10 [ING0901] spec.targetRef.kind: Invalid value: \"Bad_Kind\": spec.targetRef.kind in body should match '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'",
            "test.yaml:12 [ING0902] spec.targetRef.namespace: Invalid value: \"string\": cross namespace referencing is not currently supported",
        ], findings);
    }

    [Fact]
    public void Rejects_service_accounts_beside_principals_in_one_source()
    {
        var findings = Validate("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: ap
            spec:
              action: ALLOW
              rules:
                - from:
                    - source:
                        serviceAccounts: [ns/sa]
                        principals: [cluster.local/ns/ns/sa/sa]
            """);

        Assert.Equal(["test.yaml:9 [ING0902] spec.rules[0].from[0].source: Invalid value: \"object\": Cannot set serviceAccounts with namespaces or principals"], findings);
    }

    [Fact]
    public void Rejects_port_level_mtls_without_selector_and_with_port_zero()
    {
        var findings = Validate("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: pa
            spec:
              mtls:
                mode: STRICT
              portLevelMtls:
                "0":
                  mode: STRIKT
            """);

        Assert.Equal(
        [
            "test.yaml:5 [ING0902] spec: Invalid value: \"object\": portLevelMtls requires selector",
            "test.yaml:8 [ING0902] spec.portLevelMtls: Invalid value: \"object\": port must be between 1-65535",
            "test.yaml:10 [ING0901] spec.portLevelMtls.0.mode: Unsupported value: \"STRIKT\": supported values: \"UNSET\", \"DISABLE\", \"PERMISSIVE\", \"STRICT\"",
        ], findings);
    }

    [Fact]
    public void Rejects_jwt_rules_with_two_key_sources_an_empty_issuer_and_a_non_http_jwks_uri()
    {
        var findings = Validate("""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: ra
            spec:
              jwtRules:
                - issuer: ""
                  jwksUri: ftp://keys.example.com/jwks.json
                  jwks: "{}"
                  outputClaimToHeaders:
                    - header: x user
                      claim: sub
            """);

        Assert.Equal(
        [
            "test.yaml:7 [ING0902] spec.jwtRules[0]: Invalid value: \"object\": only one of jwks or jwksUri can be set",
            "test.yaml:7 [ING0901] spec.jwtRules[0].issuer: Invalid value: \"\": spec.jwtRules[0].issuer in body should be at least 1 chars long",
            "test.yaml:8 [ING0902] spec.jwtRules[0].jwksUri: Invalid value: \"string\": url must have scheme http:// or https://",
            "test.yaml:11 [ING0901] spec.jwtRules[0].outputClaimToHeaders[0].header: Invalid value: \"x user\": spec.jwtRules[0].outputClaimToHeaders[0].header in body should match '^[-_A-Za-z0-9]+$'",
        ], findings);
    }

    [Fact]
    public void Rejects_a_sampling_percentage_above_100_and_an_upsert_without_value()
    {
        var findings = Validate("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata:
              name: tel
            spec:
              tracing:
                - randomSamplingPercentage: 150.5
                  providers: [{name: zipkin}]
              metrics:
                - overrides:
                    - match: {metric: REQUEST_COUNT}
                      tagOverrides:
                        request_host:
                          operation: UPSERT
            """);

        Assert.Equal(
        [
            "test.yaml:7 [ING0901] spec.tracing[0].randomSamplingPercentage: Invalid value: 150.5: spec.tracing[0].randomSamplingPercentage in body should be less than or equal to 100",
            "test.yaml:13 [ING0902] spec.metrics[0].overrides[0].tagOverrides.request_host: Invalid value: \"object\": value must be set when operation is UPSERT",
        ], findings);
    }

    [Fact]
    public void Rejects_a_certificate_without_secret_name_and_with_an_unknown_usage()
    {
        var findings = Validate("""
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: cert
            spec:
              dnsNames: [example.com]
              issuerRef:
                name: letsencrypt
              usages:
                - digital signature
                - digital-signature
            """);

        Assert.Single(findings, f => f == "test.yaml:5 [ING0901] spec.secretName: Required value");
        Assert.Equal(2, findings.Count);
        Assert.StartsWith(
            "test.yaml:11 [ING0901] spec.usages[1]: Unsupported value: \"digital-signature\": supported values: \"signing\", \"digital signature\", ",
            findings[1]);
        Assert.EndsWith("\"microsoft sgc\", \"netscape sgc\"", findings[1]);
    }

    [Fact]
    public void Rejects_an_acme_issuer_without_server_and_private_key_secret()
    {
        var findings = Validate("""
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: le
            spec:
              acme:
                email: ops@example.com
                renewalInformationSource: Maybe
            """);

        Assert.Equal(
        [
            "test.yaml:6 [ING0901] spec.acme.server: Required value",
            "test.yaml:8 [ING0901] spec.acme.renewalInformationSource: Unsupported value: \"Maybe\": supported values: \"ARI\", \"None\"",
            "test.yaml:6 [ING0901] spec.acme.privateKeySecretRef: Required value",
        ], findings);
    }

    [Fact]
    public void Accepts_the_users_seed_manifests()
    {
        var loaded = ConfigLoader.LoadPaths([Path.Combine(RepoPaths.Fixtures, "seed")], new LoadOptions { DefaultNamespace = "istio-system" });

        Assert.Equal([], loaded.Config.Resources.SelectMany(StructuralValidator.Validate).Select(d => d.ToString()));
    }

    [Fact]
    public void Quotes_strings_as_go_does()
    {
        Assert.Equal("\"a\\\"b\\\\c\\n\"", StructuralValidator.Quote("a\"b\\c\n"));
        Assert.Equal("\"日本\"", StructuralValidator.Quote("日本"));
    }
}

using static Ingress.Config.Tests.Validation.Istio.IstioTable;

namespace Ingress.Config.Tests.Validation.Istio;

/// <summary>
/// Security policies against Istio's <c>pkg/config/validation/validation.go</c>: ValidateAuthorizationPolicy (with
/// <c>pkg/config/security: ValidateAttribute, CheckEmptyValues, ValidateIPs, ValidatePorts</c>), validateJwtRule and
/// the <c>istio.io/dry-run</c> annotation of validateMetadata / checkDryRunAnnotation (the cases follow the shape of
/// Istio's TestValidateAuthorizationPolicy and TestValidateRequestAuthentication tables).
/// </summary>
public class SecurityTableTests
{
    private const string Gateway = "selector: {matchLabels: {istio: ingressgateway}}\n";

    /// <summary>ValidateAuthorizationPolicy: name, spec, outcome.</summary>
    public static TheoryData<string, string, string> AuthorizationPolicies => new()
    {
        { "value-empty", Gateway + "rules:\n- when:\n  - {key: 'request.headers[:authority]', values: [v1, '']}", "Error ING1405 spec.rules[0].when[0].values: invalid `value` for `key` request.headers[:authority]: empty value not allowed, found in request.headers[:authority]" },
        { "notValue-empty", Gateway + "rules:\n- when:\n  - {key: source.namespace, notValues: ['']}", "Error ING1405 spec.rules[0].when[0].notValues: invalid `notValue` for `key` source.namespace: empty value not allowed, found in source.namespace" },
        { "condition-value-invalid ip", Gateway + "rules:\n- when:\n  - {key: source.ip, values: [a.b.c.d]}", "Error ING1405 spec.rules[0].when[0].values: invalid `value` for `key` source.ip: bad IP address (a.b.c.d)" },
        { "ip with a leading zero", Gateway + "rules:\n- from:\n  - source: {ipBlocks: [10.0.0.01]}", "Error ING1404 spec.rules[0].from[0].source.ipBlocks[0]: bad IP address (10.0.0.01)" },
        { "from-empty", Gateway + "rules:\n- from: []", "Error ING1404 spec.rules[0].from: `from` must not be empty, found at rule 0" },
        { "serviceAccounts and namespaces", Gateway + "rules:\n- from:\n  - source: {serviceAccounts: [ns1/sa1], namespaces: [ns]}", "Error ING1404 spec.rules[0].from[0].source: cannot set serviceAccounts with namespaces or principals, found at rule 0" },
        { "a path without a leading slash is Istio-valid", Gateway + "rules:\n- to:\n  - operation: {paths: [admin]}", Valid },
        { "unsupported path template", Gateway + "rules:\n- to:\n  - operation: {paths: ['/{*}/foo/{bar}']}", "Error ING1404 spec.rules[0].to[0].operation.paths[0]: invalid or unsupported path template, found in Paths (only {*} and {**} are supported, as whole path segments)" },
        { "supported path template", Gateway + "rules:\n- to:\n  - operation: {paths: ['/api/{*}/users/{**}']}", Valid },
    };

    [Theory]
    [MemberData(nameof(AuthorizationPolicies))]
    public void Authorization_policies_as_istio_validates_them(string name, string spec, string outcome)
    {
        _ = name;
        Check(outcome, Security("AuthorizationPolicy", spec));
    }

    /// <summary>validateMetadata / checkDryRunAnnotation: name, kind, annotation value, spec, outcome.</summary>
    public static TheoryData<string, string, string, string, string> DryRun => new()
    {
        { "dry-run-valid-allow", "AuthorizationPolicy", "\"true\"", "action: ALLOW", Valid },
        { "dry-run-valid-deny", "AuthorizationPolicy", "\"false\"", "action: DENY\nrules: [{}]", Valid },
        { "dry-run-go-boolean", "AuthorizationPolicy", "\"T\"", Gateway, Valid },
        { "dry-run-invalid-value", "AuthorizationPolicy", "foo", "action: ALLOW", "Error ING1410 metadata.annotations.istio.io/dry-run: default/policy has annotation istio.io/dry-run with invalid value (foo): strconv.ParseBool: parsing \"foo\": invalid syntax (write \"true\" or \"false\")" },
        { "dry-run-invalid-action-custom", "AuthorizationPolicy", "\"true\"", "action: CUSTOM\nprovider: {name: ext}\nrules: [{}]", "Error ING1410 metadata.annotations.istio.io/dry-run: the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action CUSTOM in default/policy" },
        { "dry-run-invalid-action-audit", "AuthorizationPolicy", "\"true\"", "action: AUDIT", "Error ING1410 metadata.annotations.istio.io/dry-run: the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action AUDIT in default/policy" },
        { "dry-run on another kind", "PeerAuthentication", "\"true\"", "mtls: {mode: STRICT}", "Error ING1410 metadata.annotations.istio.io/dry-run: default/policy has unsupported annotation istio.io/dry-run, please remove the annotation (only an AuthorizationPolicy can be run dry)" },
    };

    [Theory]
    [MemberData(nameof(DryRun))]
    public void Dry_run_annotations_as_istio_validates_them(string name, string kind, string value, string spec, string outcome)
    {
        _ = name;
        Check(outcome, Security(kind, spec, $"annotations: {{istio.io/dry-run: {value}}}"));
    }

    /// <summary>validateJwtRule: name, spec, outcome.</summary>
    public static TheoryData<string, string, string> JwtRules => new()
    {
        { "jwksUri without issuer", Gateway + "jwtRules:\n- jwksUri: https://issuer.example.com/keys.json", Valid },
        { "issuer without keys", Gateway + "jwtRules:\n- issuer: https://issuer.example.com", Valid },
        { "neither issuer nor jwksUri", Gateway + "jwtRules:\n- audiences: [web]", "Error ING1406 spec.jwtRules[0].issuer: issuer or jwksUri must be non-empty string" },
        { "empty issuer and jwksUri", Gateway + "jwtRules:\n- {issuer: '', jwksUri: ''}", "Error ING1406 spec.jwtRules[0].issuer: issuer or jwksUri must be non-empty string\n" +
            "Error ING0901 spec.jwtRules[0].jwksUri: Invalid value: \"\": spec.jwtRules[0].jwksUri in body should be at least 1 chars long\n" +
            "Error ING0902 spec.jwtRules[0].jwksUri: Invalid value: \"string\": url must have scheme http:// or https://" },
        { "jwksUri with another scheme", Gateway + "jwtRules:\n- {issuer: a, jwksUri: 'file:///keys.json'}", "Error ING1406 spec.jwtRules[0].jwksUri: URI scheme \"file\" is not supported: use an absolute http:// or https:// URL" },
        { "output header with an underscore", Gateway + "jwtRules:\n- issuer: a\n  outputClaimToHeaders: [{header: x_sub, claim: sub}]", "Error ING1406 spec.jwtRules[0].outputClaimToHeaders[0].header: header name x_sub is not a valid header name" },
    };

    [Theory]
    [MemberData(nameof(JwtRules))]
    public void Jwt_rules_as_istio_validates_them(string name, string spec, string outcome)
    {
        _ = name;
        Check(outcome, Security("RequestAuthentication", spec));
    }
}

using Ingress.Config.Diagnostics;
using static Ingress.Config.Tests.Validation.ValidationTestHelper;

namespace Ingress.Config.Tests.Validation;

public class VirtualServiceValidatorTests
{
    /// <summary>A gateway-bound VirtualService whose single http rule is <paramref name="rule"/> (indented as an item).</summary>
    private static string Vs(string rule) => $$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: web
        spec:
          hosts: [web.example.com]
          gateways: [istio-system/web-gw]
          http:
        {{rule}}
        """;

    [Fact]
    public void Accepts_the_users_virtual_service()
    {
        var file = Path.Combine(RepoPaths.Fixtures, "seed", "httpserver-virtualservice-gateway.yaml");
        Assert.Empty(Validate(File.ReadAllText(file)));
    }

    public static TheoryData<string, string, Severity, string, int, string> RuleCases => new()
    {
        {
            "  - match: [{uri: {prefix: /a}}]", "ING1203", Severity.Error, "spec.http[0]", 9,
            "spec.http[0]: HTTP route, redirect or direct_response is required (or delegate, in a root VirtualService)"
        },
        {
            "  - redirect: {uri: /b}\n    route: [{destination: {host: web}}]", "ING1203", Severity.Error, "spec.http[0].route", 10,
            "spec.http[0].route: HTTP route cannot contain both route and redirect"
        },
        {
            "  - directResponse: {status: 200}\n    rewrite: {uri: /x}", "ING1203", Severity.Error, "spec.http[0].rewrite", 10,
            "spec.http[0].rewrite: HTTP route rule cannot contain both rewrite and direct_response"
        },
        {
            "  - match: [{uri: {regex: '/(?=admin).*'}}]\n    route: [{destination: {host: web}}]", "ING1204", Severity.Error,
            "spec.http[0].match[0].uri.regex", 9,
            "spec.http[0].match[0].uri.regex: \"uri\": look-around assertions ((?=, (?!, (?<=, (?<!) are not supported by RE2; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"
        },
        {
            "  - match: [{uri: {regex: '/(a)\\1'}}]\n    route: [{destination: {host: web}}]", "ING1204", Severity.Error,
            "spec.http[0].match[0].uri.regex", 9,
            "spec.http[0].match[0].uri.regex: \"uri\": back-references (\\1) are not supported by RE2; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)"
        },
        {
            "  - redirect: {uri: /b, redirectCode: 200}", "ING1205", Severity.Error, "spec.http[0].redirect.redirectCode", 9,
            "spec.http[0].redirect.redirectCode: 200 is not a valid redirect code, must be 3xx"
        },
        {
            "  - redirect: {uri: /b, redirectCode: 304}", "ING1205", Severity.Warning, "spec.http[0].redirect.redirectCode", 9,
            "spec.http[0].redirect.redirectCode: 304 is not a redirect code Envoy can answer, so Istio leaves this route without an action: use 301, 302, 303, 307 or 308"
        },
        {
            "  - redirect: {scheme: ftp}", "ING1205", Severity.Error, "spec.http[0].redirect.scheme", 9,
            "spec.http[0].redirect.scheme: invalid redirect scheme, must be \"http\" or \"https\""
        },
        {
            "  - match: [{uri: {exact: /old}}]\n    redirect: {prefixRewrite: /new}", "ING1205", Severity.Error,
            "spec.http[0].redirect.prefixRewrite", 10,
            "spec.http[0].redirect.prefixRewrite: prefixRewrite replaces the matched uri prefix, but match[0] matches the uri exactly: use a uri prefix match, or redirect.uri to replace the whole path"
        },
        {
            "  - rewrite:\n      uri: /x\n      uriRegexRewrite: {match: '^/a', rewrite: /b}\n    route: [{destination: {host: web}}]",
            "ING1206", Severity.Error, "spec.http[0].rewrite", 9,
            "spec.http[0].rewrite: rewrite may only contain one of URI or UriRegexRewrite"
        },
        {
            "  - fault: {abort: {httpStatus: 700, percentage: {value: 10}}}\n    route: [{destination: {host: web}}]", "ING1208",
            Severity.Error, "spec.http[0].fault.abort.httpStatus", 9,
            "spec.http[0].fault.abort.httpStatus: HTTP status 700 is not in range 200-599"
        },
        {
            "  - fault: {delay: {fixedDelay: 5s, percentage: {value: 120}}}\n    route: [{destination: {host: web}}]", "ING1207",
            Severity.Error, "spec.http[0].fault.delay.percentage.value", 9,
            "spec.http[0].fault.delay.percentage.value: percentage 120 is neither 0.0, nor in range [0.0001, 100.0]"
        },
        {
            "  - directResponse: {status: 99}", "ING1208", Severity.Error, "spec.http[0].directResponse.status", 9,
            "spec.http[0].directResponse.status: HTTP status 99 is not in range 200-599"
        },
        {
            "  - route:\n    - {destination: {host: a}, weight: 0}\n    - {destination: {host: b}, weight: 0}", "ING1209",
            Severity.Error, "spec.http[0].route", 9, "spec.http[0].route: total destination weight = 0"
        },
        {
            "  - route: [{destination: {host: a}, weight: -5}]", "ING1209", Severity.Error, "spec.http[0].route[0].weight", 9,
            "spec.http[0].route[0].weight: weight -5 < 0"
        },
        {
            "  - timeout: 500us\n    route: [{destination: {host: web}}]", "ING1210", Severity.Error, "spec.http[0].timeout", 9,
            "spec.http[0].timeout: duration must be greater than 1ms"
        },
        {
            "  - timeout: ten\n    route: [{destination: {host: web}}]", "ING1210", Severity.Error, "spec.http[0].timeout", 9,
            "spec.http[0].timeout: bad Duration: time: invalid duration \"ten\"; write a number with a unit, such as 500ms, 10s, 1m or 1h"
        },
        {
            "  - match: [{headers: {X-User: {exact: bob}}}]\n    route: [{destination: {host: web}}]", "ING1220", Severity.Warning,
            "spec.http[0].match[0].headers.X-User", 9,
            "spec.http[0].match[0].headers.X-User: header name X-User should be lower-case (Istio's API requires lower-case header keys): write x-user"
        },
        {
            "  - match: [{headers: {'x user': {exact: bob}}}]\n    route: [{destination: {host: web}}]", "ING1211", Severity.Error,
            "spec.http[0].match[0].headers.x user", 9,
            "spec.http[0].match[0].headers.x user: header name x user is not a valid header name"
        },
        {
            "  - rewrite: {authority: a.example.com}\n    headers: {request: {set: {':authority': b.example.com}}}\n    route: [{destination: {host: web}}]",
            "ING1212", Severity.Error, "spec.http[0].headers.request.set.:authority", 10,
            "spec.http[0].headers.request.set.:authority: authority header cannot be set multiple times: have \"a.example.com\", attempting to set \"b.example.com\""
        },
        {
            "  - mirror: {host: shadow}\n    mirrors: [{destination: {host: shadow2}}]\n    route: [{destination: {host: web}}]", "ING1213",
            Severity.Error, "spec.http[0].mirrors", 10, "spec.http[0].mirrors: HTTP route cannot contain both mirror and mirrors"
        },
        {
            "  - retries: {perTryTimeout: 2s}\n    route: [{destination: {host: web}}]", "ING1215", Severity.Error, "spec.http[0].retries", 9,
            "spec.http[0].retries: http retry policy configured when attempts are set to 0 (disabled)"
        },
    };

    [Theory]
    [MemberData(nameof(RuleCases))]
    public void Reports_a_broken_http_rule(string rule, string code, Severity severity, string path, int line, string message)
    {
        Assert.Equal([(code, severity, path, line, message)], Summaries(Validate(Vs(rule))));
    }

    [Fact]
    public void Reports_every_problem_of_a_resource_in_one_pass()
    {
        var diagnostics = Validate(Vs("""
              - redirect: {uri: /b, redirectCode: 200}
                route: [{destination: {host: web}}]
              - directResponse: {status: 700}
            """));

        Assert.Equal(["ING1203", "ING1205", "ING1208"], diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void Rejects_a_delegate_with_gateways_and_a_mesh_wildcard_host()
    {
        var diagnostics = Validate("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a}
            spec:
              gateways: [gw]
              http: [{route: [{destination: {host: web}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: b}
            spec:
              hosts: ["*"]
              http: [{route: [{destination: {host: web}}]}]
            """);

        Assert.Equal(
            [("ING1201", Severity.Error, "spec.hosts", 4,
              "spec.hosts: delegate virtual service must have no gateways specified (a VirtualService without hosts is a delegate; list the host names it serves to bind it to a gateway)"),
             ("ING1201", Severity.Error, "spec.hosts[0]", 12,
              "spec.hosts[0]: wildcard host * is not allowed for virtual services bound to the mesh gateway")],
            Summaries(diagnostics));
        Assert.Equal("VirtualService default/a", diagnostics[0].Resource);
    }

    [Fact]
    public void Warns_about_a_legacy_gateway_name()
    {
        var diagnostics = Validate("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: a}
            spec:
              hosts: [web.example.com]
              gateways: [web-gw.istio-system.svc.cluster.local]
              http: [{route: [{destination: {host: web}}]}]
            """);

        Assert.Equal(
            [("ING1214", Severity.Warning, "spec.gateways[0]", 6,
              "spec.gateways[0]: using legacy gatewayName format \"web-gw.istio-system.svc.cluster.local\"; prefer the <namespace>/<name> format: \"istio-system/web-gw\"")],
            Summaries(diagnostics));
    }
}

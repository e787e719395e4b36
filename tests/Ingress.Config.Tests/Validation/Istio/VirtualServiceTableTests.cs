using static Ingress.Config.Tests.Validation.Istio.IstioTable;

namespace Ingress.Config.Tests.Validation.Istio;

/// <summary>
/// VirtualServices against Istio's <c>pkg/config/validation</c>: ValidateVirtualService, validateHTTPRoute and its
/// helpers (<c>virtualservice.go</c>), validateHTTPRedirect, ValidateHTTPHeaderValue and validateHeaderValue,
/// validateTLSRoute and validateSniHost, validateStringRegexp, agent.ValidateDuration and validateExportTo (the cases
/// follow the shape of Istio's TestValidateVirtualService, TestValidateHTTPRedirect and TestValidateHTTPRoute tables).
/// </summary>
public class VirtualServiceTableTests
{
    private const string Bound = "hosts: [web.example.com]\ngateways: [istio-system/gw]\n";

    private static string Rule(string rule) => Bound + "http:\n- " + rule.Replace("\n", "\n  ", StringComparison.Ordinal);

    private const string Route = "route: [{destination: {host: web}}]";

    /// <summary>validateHTTPRedirect, with proto3 "unset" and Istio 1.31's prefixRewrite: name, rule, outcome.</summary>
    public static TheoryData<string, string, string> Redirects => new()
    {
        { "empty uri and authority", "redirect: {uri: '', authority: ''}", "Error ING1205 spec.http[0].redirect: redirect must specify URI, authority, scheme, or port" },
        { "empty uri with an authority", "redirect: {uri: '', authority: b.example.com}", Valid },
        { "redirect code 0 is the default", "redirect: {uri: /b, redirectCode: 0}", Valid },
        { "a written port 0 is something to redirect to", "redirect: {port: 0}", Valid },
        { "redirect code outside 3xx", "redirect: {uri: /b, redirectCode: 400}", "Error ING1205 spec.http[0].redirect.redirectCode: 400 is not a valid redirect code, must be 3xx" },
        { "scheme not http or https", "redirect: {scheme: ftp}", "Error ING1205 spec.http[0].redirect.scheme: invalid redirect scheme, must be \"http\" or \"https\"" },
        { "prefixRewrite after a prefix match", "match: [{uri: {prefix: /old}}]\nredirect: {prefixRewrite: /new}", Valid },
        { "prefixRewrite after an exact match", "match: [{uri: {exact: /old}}]\nredirect: {prefixRewrite: /new}", "Error ING1205 spec.http[0].redirect.prefixRewrite: prefixRewrite replaces the matched uri prefix, but match[0] matches the uri exactly: use a uri prefix match, or redirect.uri to replace the whole path" },
        { "prefixRewrite after a regex match", "match: [{uri: {prefix: /a}}, {uri: {regex: '/b.*'}}]\nredirect: {prefixRewrite: /new}", "Error ING1205 spec.http[0].redirect.prefixRewrite: prefixRewrite replaces the matched uri prefix, but match[1] matches the uri by regex: use a uri prefix match, or redirect.uri to replace the whole path" },
        { "prefixRewrite with no uri match", "match: [{headers: {x-old: {exact: 'yes'}}}]\nredirect: {prefixRewrite: /new}", Valid },
        { "prefixRewrite without any match", "redirect: {prefixRewrite: /new}", Valid },
        { "prefixRewrite next to uri", "match: [{uri: {prefix: /old}}]\nredirect: {uri: /x, prefixRewrite: /new}", "Warning ING1205 spec.http[0].redirect.prefixRewrite: uri and prefixRewrite are both set: the redirect uses uri and ignores prefixRewrite" },
    };

    [Theory]
    [MemberData(nameof(Redirects))]
    public void Redirects_as_istio_validates_them(string name, string rule, string outcome)
    {
        _ = name;
        Check(outcome, VirtualService(Rule(rule)));
    }

    /// <summary>validateHTTPRoute header operations, ValidateHTTPHeaderValue and Envoy's header formatter: name, rule, outcome.</summary>
    public static TheoryData<string, string, string> HeaderValues => new()
    {
        { "envoy escaped % and a variable", "headers: {response: {set: {x-a: '100%%', x-b: '%HOSTNAME%', x-c: 'at %START_TIME(%s)%'}}}\n" + Route, Valid },
        { "envoy unescaped %", "headers: {response: {set: {x-a: 'abcd%oijasodifj'}}}\n" + Route, "Error ING1211 spec.http[0].headers.response.set.x-a: header value configuration: invalid header configuration. Un-terminated variable expression 'abcd%oijasodifj' (write %% for a literal %)" },
        { "a lone % at the end", "headers: {request: {add: {x-a: '100%'}}}\n" + Route, "Error ING1211 spec.http[0].headers.request.add.x-a: header value configuration: invalid header configuration. Un-escaped %" },
        { "a control character", "headers: {request: {set: {x-a: \"a\\x01b\"}}}\n" + Route, "Error ING1211 spec.http[0].headers.request.set.x-a: header value configuration \"a\\u0001b\" is invalid (control characters are not allowed)" },
    };

    [Theory]
    [MemberData(nameof(HeaderValues))]
    public void Header_values_as_istio_validates_them(string name, string rule, string outcome)
    {
        _ = name;
        Check(outcome, VirtualService(Rule(rule)));
    }

    /// <summary>ValidateVirtualService (hosts, gateways, JWT claims on the mesh, exportTo) and validateSniHost: name, spec, outcome.</summary>
    public static TheoryData<string, string, string> Services => new()
    {
        {
            "jwt claim route bound to the mesh",
            "hosts: [web.default.svc.cluster.local]\ngateways: [mesh]\nhttp:\n- match: [{headers: {'@request.auth.claims.group': {exact: admin}}}]\n  " + Route,
            "Error ING1219 spec.http[0].match[0].headers.@request.auth.claims.group: JWT claim based routing (key: @request.auth.claims.group) is only supported for gateway, found no gateways: [mesh] (list the gateway in spec.gateways; sidecars do not verify JWTs for routing)"
        },
        {
            "jwt claim route without gateways, in withoutHeaders",
            "hosts: [web.default.svc.cluster.local]\nhttp:\n- match: [{withoutHeaders: {'@request.auth.claims[group]': {exact: admin}}}]\n  " + Route,
            "Error ING1219 spec.http[0].match[0].withoutHeaders.@request.auth.claims[group]: JWT claim based routing (key: @request.auth.claims[group]) is only supported for gateway, found no gateways: [] (list the gateway in spec.gateways; sidecars do not verify JWTs for routing)"
        },
        {
            "jwt claim route on a gateway",
            Bound + "http:\n- match: [{headers: {'@request.auth.claims.group': {exact: admin}}}]\n  " + Route,
            Valid
        },
        {
            "allow sni based domains",
            "hosts: [outbound_.15010_._.istiod.istio-system.svc.cluster.local]\ngateways: [ns1/gateway]\n" +
            "tls:\n- match: [{sniHosts: [outbound_.15010_._.istiod.istio-system.svc.cluster.local]}]\n  route: [{destination: {host: istiod.istio-system.svc.cluster.local}}]",
            Valid
        },
        {
            "sni host outside the virtual service hosts",
            Bound + "tls:\n- match: [{sniHosts: [other.example.com]}]\n  route: [{destination: {host: web}}]",
            "Error ING1201 spec.tls[0].match[0].sniHosts[0]: SNI host \"other.example.com\" is not a compatible subset of any of the virtual service hosts: [web.example.com]"
        },
        {
            "sni host inside a wildcard host",
            "hosts: ['*.example.com']\ngateways: [istio-system/gw]\ntls:\n- match: [{sniHosts: [a.example.com]}]\n  route: [{destination: {host: web}}]",
            Valid
        },
        {
            "invalid wildcard as sni host",
            Bound + "tls:\n- match: [{sniHosts: ['foo.*.com']}]\n  route: [{destination: {host: web}}]",
            "Error ING1201 spec.tls[0].match[0].sniHosts[0]: domain name \"foo.*.com\" invalid (label \"*\" invalid)"
        },
        {
            "ip address as sni host",
            Bound + "tls:\n- match: [{sniHosts: [1.1.1.1]}]\n  route: [{destination: {host: web}}]",
            "Warning ING1202 spec.tls[0].match[0].sniHosts[0]: using an IP address (\"1.1.1.1\") goes against SNI spec and most clients do not support this"
        },
        {
            "gateway names after the first one without a slash are not checked",
            "hosts: [web.example.com]\ngateways: [mesh, 'b@d/gw']\nhttp:\n- " + Route,
            Valid
        },
        {
            "duplicate hosts",
            "hosts: ['*.foo.bar', '*.bar']\ngateways: [istio-system/gw]\nhttp:\n- " + Route,
            "Error ING1201 spec.hosts[1]: duplicate hosts in virtual service: *.foo.bar & *.bar"
        },
        {
            "upper-case host",
            "hosts: [Web.Example.com]\ngateways: [istio-system/gw]\nhttp:\n- " + Route,
            Valid
        },
        {
            "exportTo . and its own namespace",
            Bound + "exportTo: ['.', default]\nhttp:\n- " + Route,
            "Error ING1001 spec.exportTo: duplicate entries in exportTo for entry default"
        },
        {
            "exportTo * with a namespace",
            Bound + "exportTo: ['*', ns1]\nhttp:\n- " + Route,
            "Error ING1001 spec.exportTo: cannot have both public (*) and non-public exportTo values for a resource"
        },
        {
            "exportTo none",
            Bound + "exportTo: ['~']\nhttp:\n- " + Route,
            "Error ING1001 spec.exportTo: exportTo ~ (none) is not allowed for Istio configuration objects"
        },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public void Virtual_services_as_istio_validates_them(string name, string spec, string outcome)
    {
        _ = name;
        Check(outcome, VirtualService(spec));
    }

    /// <summary>
    /// Unset is unset and "not stricter than Istio" in http rules (validateDestination, validateHTTPRetry,
    /// validateHTTPStatus, validateCORSPolicy, validateHTTPFaultInjectionDelay, validateStringRegexp): name, rule, outcome.
    /// </summary>
    public static TheoryData<string, string, string> Rules => new()
    {
        { "empty subset is unset", "route: [{destination: {host: web, subset: ''}}]", Valid },
        { "attempts 0 with an empty retryOn", "retries: {attempts: 0, retryOn: ''}\n" + Route, Valid },
        { "retryOn a status Go knows", "retries: {attempts: 2, retryOn: '425,503,reset'}\n" + Route, Valid },
        { "retryOn a status Go does not know", "retries: {attempts: 2, retryOn: '599'}\n" + Route, "Error ING1215 spec.http[0].retries.retryOn: \"599\" is not a valid retryOn policy" },
        { "direct response status 600", "directResponse: {status: 600}", Valid },
        { "direct response status 601", "directResponse: {status: 601}", "Error ING1208 spec.http[0].directResponse.status: HTTP status 601 is not in range 200-599" },
        { "cors allows every method", "corsPolicy: {allowOrigins: [{exact: 'https://a.example.com'}], allowMethods: ['*']}\n" + Route, Valid },
        { "header name with token characters", "match: [{headers: {'funky!$#_': {exact: x}}}]\n" + Route, Valid },
        { "withoutHeaders regex * is a presence match", "match: [{withoutHeaders: {x-a: {regex: '*'}}}]\n" + Route, Valid },
        { "delay without a duration", "fault: {delay: {percentage: {value: 10}}}\n" + Route, "Warning ING1218 spec.http[0].fault.delay: delay has no fixedDelay, so no request is delayed (write fixedDelay, for example 5s)" },
        { "regex repeat count 1000", "match: [{uri: {regex: '/a{1000}'}}]\n" + Route, Valid },
        { "regex repeat count over 1000", "match: [{uri: {regex: '/a{2,1001}'}}]\n" + Route, "Error ING1204 spec.http[0].match[0].uri.regex: \"uri\": error parsing regexp: invalid repeat count: `{2,1001}`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)" },
        { "regex repeat minimum above maximum", "match: [{uri: {regex: '/a{3,2}'}}]\n" + Route, "Error ING1204 spec.http[0].match[0].uri.regex: \"uri\": error parsing regexp: invalid repeat count: `{3,2}`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)" },
        { "timeout 2.0000001s", "timeout: 2.0000001s\n" + Route, "Error ING1210 spec.http[0].timeout: only durations to ms precision are supported" },
        { "timeout 2.000000001s", "timeout: 2.000000001s\n" + Route, "Error ING1210 spec.http[0].timeout: only durations to ms precision are supported" },
        { "timeout 2.0000000001s (Go drops the tenth decimal)", "timeout: 2.0000000001s\n" + Route, Valid },
        { "timeout 1h30m", "timeout: 1h30m\n" + Route, Valid },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Http_rules_as_istio_validates_them(string name, string rule, string outcome)
    {
        _ = name;
        Check(outcome, VirtualService(Rule(rule)));
    }
}

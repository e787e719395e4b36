using System.Globalization;
using System.Text.RegularExpressions;
using Ingress.Config.Model;

namespace Ingress.Config.Schema;

// The CEL rules of the Gateway API CRDs (gateway.networking.k8s.io, standard channel), as code. Each holds where the
// API server's evaluation, after defaulting, holds; a rule whose evaluation fails on the API server (a field it reads
// is absent) is false here too, so it is reported with its own message.
public static partial class CelRules
{
    // Its arrays are locals: All, in the other half of this partial class, enumerates this method while the type's
    // static fields are still being initialized.
    private static IEnumerable<CelRule> GatewayApiRules()
    {
        string[] filterFields =
        [
            "cors:CORS", "requestHeaderModifier:RequestHeaderModifier", "responseHeaderModifier:ResponseHeaderModifier",
            "requestMirror:RequestMirror", "requestRedirect:RequestRedirect", "urlRewrite:URLRewrite",
            "extensionRef:ExtensionRef",
        ];
        string[] repeatableFilterTypes = ["CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite"];

        yield return new(CelRuleNames.Immutable, "self == oldSelf", "field is immutable", _ => true)
        {
            NotEvaluated = "a transition rule: it compares the object with the one stored in the cluster, which a file does not have",
        };

        // Gateway listeners.
        yield return new(CelRuleNames.TlsNotForPlainProtocols, """self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)""",
            "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
            i => Items<Listener>(i).All(l => l.Protocol is not ("HTTP" or "TCP" or "UDP") || l.Tls is null));
        yield return new(CelRuleNames.HttpsTlsModeTerminate, """self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)""",
            "tls mode must be Terminate for protocol HTTPS",
            i => Items<Listener>(i).All(l => l.Protocol != "HTTPS" || l.Tls is null || l.Tls.Mode is "" or "Terminate"));
        yield return new(CelRuleNames.TlsProtocolNeedsMode, """self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true))""",
            "tls mode must be set for protocol TLS",
            i => Items<Listener>(i).All(l => l.Protocol != "TLS" || !string.IsNullOrEmpty(l.Tls?.Mode)));
        yield return new(CelRuleNames.NoHostnameForTcpUdp, """self.all(l, l.protocol in ['TCP', 'UDP'] ? (!has(l.hostname) || l.hostname == '') : true)""",
            "hostname must not be specified for protocols ['TCP', 'UDP']",
            i => Items<Listener>(i).All(l => l.Protocol is not ("TCP" or "UDP") || string.IsNullOrEmpty(l.Hostname)));
        yield return new(CelRuleNames.ListenerNamesUnique, """self.all(l1, self.exists_one(l2, l1.name == l2.name))""",
            "Listener name must be unique within the Gateway",
            i => ExactlyOnce(Items<Listener>(i), (a, b) => a.Name == b.Name));
        yield return new(CelRuleNames.ListenerPortProtocolHostnameUnique, """self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))))""",
            "Combination of port, protocol and hostname must be unique for each listener",
            i => ExactlyOnce(Items<Listener>(i), (a, b) => a.Port == b.Port && a.Protocol == b.Protocol && a.Hostname == b.Hostname));
        yield return new(CelRuleNames.TerminateNeedsCertificates, """self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true""",
            "certificateRefs or options must be specified when mode is Terminate",
            i => ((ListenerTlsConfig)i.Self) is var t && (t.Mode != "Terminate" || t.CertificateRefs.Count > 0 || t.Options.Count > 0));

        // Route parents and targets.
        yield return new(CelRuleNames.ParentSectionNameWhenRepeated, """self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))""",
            "sectionName must be specified when parentRefs includes 2 or more references to the same parent",
            i => Items<ParentReference>(i) is var refs && refs.All(a => refs.All(b =>
                !SameParent(a, b) || string.IsNullOrEmpty(a.SectionName) == string.IsNullOrEmpty(b.SectionName))));
        yield return new(CelRuleNames.ParentSectionNameUnique, """self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))""",
            "sectionName must be unique when parentRefs includes 2 or more references to the same parent",
            i => ExactlyOnce(Items<ParentReference>(i), (a, b) => SameParent(a, b) && (a.SectionName ?? "") == (b.SectionName ?? "")));
        yield return new(CelRuleNames.TargetSectionNameWhenRepeated, """self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))""",
            "sectionName must be specified when targetRefs includes 2 or more references to the same target",
            i => Items<BackendTlsTargetReference>(i) is var refs && refs.All(a => refs.All(b =>
                !SameTarget(a, b) || string.IsNullOrEmpty(a.SectionName) == string.IsNullOrEmpty(b.SectionName))));
        yield return new(CelRuleNames.TargetSectionNameUnique, """self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))""",
            "sectionName must be unique when targetRefs includes 2 or more references to the same target",
            i => ExactlyOnce(Items<BackendTlsTargetReference>(i), (a, b) => SameTarget(a, b) && (a.SectionName ?? "") == (b.SectionName ?? "")));

        // Rules.
        yield return new(CelRuleNames.HttpRouteMatchesAtMost128, MatchCountExpression(grpc: false),
            "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
            i => Items<HttpRouteRule>(i).Take(16).Sum(r => r.Matches.Count) <= 128);
        yield return new(CelRuleNames.GrpcRouteMatchesAtMost128, MatchCountExpression(grpc: true),
            "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128",
            i => Items<GrpcRouteRule>(i).Take(16).Sum(r => r.Matches.Count) <= 128);
        yield return new(CelRuleNames.RedirectWithoutBackends, """(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true""",
            "RequestRedirect filter must not be used together with backendRefs",
            i => ((HttpRouteRule)i.Self) is var r && (r.BackendRefs.Count == 0 || r.Filters.All(f => f.RequestRedirect is null)));
        yield return new(CelRuleNames.RedirectPrefixNeedsOnePrefixMatch, """(has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true""",
            "When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            i => ((HttpRouteRule)i.Self) is var r && (r.Filters.Count(f => ReplacesPrefix(f.RequestRedirect?.Path)) != 1 || OnePrefixMatch(r)));
        yield return new(CelRuleNames.RewritePrefixNeedsOnePrefixMatch, """(has(self.filters) && self.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true""",
            "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            i => ((HttpRouteRule)i.Self) is var r && (r.Filters.Count(f => ReplacesPrefix(f.UrlRewrite?.Path)) != 1 || OnePrefixMatch(r)));
        yield return new(CelRuleNames.BackendRedirectPrefixNeedsOnePrefixMatch, """(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true""",
            "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            i => ((HttpRouteRule)i.Self) is var r &&
                 (r.BackendRefs.Count(b => b.Filters.Count(f => ReplacesPrefix(f.RequestRedirect?.Path)) == 1) != 1 || OnePrefixMatch(r)));
        yield return new(CelRuleNames.BackendRewritePrefixNeedsOnePrefixMatch, """(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true""",
            "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
            i => ((HttpRouteRule)i.Self) is var r &&
                 (r.BackendRefs.Count(b => b.Filters.Count(f => ReplacesPrefix(f.UrlRewrite?.Path)) == 1) != 1 || OnePrefixMatch(r)));
        yield return new(CelRuleNames.ServiceReferenceNeedsPort, """(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true""", "Must have port for Service reference",
            i => Text(i.Self, "group") is not "" || Text(i.Self, "kind") != "Service" || i.Has("port"));
        yield return new(CelRuleNames.BackendTimeoutWithinRequestTimeout, """!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))""",
            "backendRequest timeout cannot be longer than request timeout",
            i => ((HttpRouteTimeouts)i.Self) is var t && (t.Request is null || t.BackendRequest is null || BackendWithinRequest(t.Request, t.BackendRequest)));

        // Filters.
        yield return new(CelRuleNames.RedirectOrRewrite, """!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))""",
            "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both",
            i => !(FilterTypes(i).Contains("RequestRedirect") && FilterTypes(i).Contains("URLRewrite")));
        foreach (var type in repeatableFilterTypes)
        {
            yield return new(CelRuleNames.FilterNotRepeated + type, $"self.filter(f, f.type == '{type}').size() <= 1",
                $"{type} filter cannot be repeated", i => FilterTypes(i).Count(t => t == type) <= 1);
        }

        foreach (var pair in filterFields)
        {
            var (field, type) = (pair[..pair.IndexOf(':', StringComparison.Ordinal)], pair[(pair.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            yield return new(CelRuleNames.FilterFieldOnlyForType + pair, $"!(has(self.{field}) && self.type != '{type}')",
                $"filter.{field} must be nil if the filter.type is not {type}", i => !(i.Has(field) && Text(i.Self, "type") != type));
            yield return new(CelRuleNames.FilterFieldForType + pair, $"!(!has(self.{field}) && self.type == '{type}')",
                $"filter.{field} must be specified for {type} filter.type", i => !(!i.Has(field) && Text(i.Self, "type") == type));
        }

        yield return new(CelRuleNames.AllowOriginsWildcardAlone, "!('*' in self && self.size() > 1)",
            "AllowOrigins cannot contain '*' alongside other origins", WildcardAlone);
        yield return new(CelRuleNames.AllowMethodsWildcardAlone, "!('*' in self && self.size() > 1)",
            "AllowMethods cannot contain '*' alongside other methods", WildcardAlone);
        yield return new(CelRuleNames.AllowHeadersWildcardAlone, "!('*' in self && self.size() > 1)",
            "AllowHeaders cannot contain '*' alongside other methods", WildcardAlone);
        yield return new(CelRuleNames.MirrorPercentOrFraction, """!(has(self.percent) && has(self.fraction))""",
            "Only one of percent or fraction may be specified in HTTPRequestMirrorFilter", i => !(i.Has("percent") && i.Has("fraction")));
        yield return new(CelRuleNames.FractionAtMostOne, """self.numerator <= self.denominator""",
            "numerator must be less than or equal to denominator",
            i => ((MirrorFraction)i.Self) is { Numerator: { } n, Denominator: { } d } && n <= d);
        yield return new(CelRuleNames.FullPathWhenTyped, """self.type == 'ReplaceFullPath' ? has(self.replaceFullPath) : true""",
            "replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
            i => Text(i.Self, "type") != "ReplaceFullPath" || i.Has("replaceFullPath"));
        yield return new(CelRuleNames.FullPathTypeWhenSet, """has(self.replaceFullPath) ? self.type == 'ReplaceFullPath' : true""",
            "type must be 'ReplaceFullPath' when replaceFullPath is set",
            i => !i.Has("replaceFullPath") || Text(i.Self, "type") == "ReplaceFullPath");
        yield return new(CelRuleNames.PrefixMatchWhenTyped, """self.type == 'ReplacePrefixMatch' ? has(self.replacePrefixMatch) : true""",
            "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'",
            i => Text(i.Self, "type") != "ReplacePrefixMatch" || i.Has("replacePrefixMatch"));
        yield return new(CelRuleNames.PrefixMatchTypeWhenSet, """has(self.replacePrefixMatch) ? self.type == 'ReplacePrefixMatch' : true""",
            "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
            i => !i.Has("replacePrefixMatch") || Text(i.Self, "type") == "ReplacePrefixMatch");

        // Path matches: what Exact and PathPrefix values may hold.
        yield return PathRule(CelRuleNames.PathAbsolute, """(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true""",
            "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']", v => v.StartsWith('/'));
        yield return PathRule(CelRuleNames.PathNoDoubleSlash, """(self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true""",
            "must not contain '//' when type one of ['Exact', 'PathPrefix']", v => !v.Contains("//", StringComparison.Ordinal));
        yield return PathRule(CelRuleNames.PathNoDotSegment, """(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/./') : true""",
            "must not contain '/./' when type one of ['Exact', 'PathPrefix']", v => !v.Contains("/./", StringComparison.Ordinal));
        yield return PathRule(CelRuleNames.PathNoDotDotSegment, """(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/../') : true""",
            "must not contain '/../' when type one of ['Exact', 'PathPrefix']", v => !v.Contains("/../", StringComparison.Ordinal));
        yield return PathRule(CelRuleNames.PathNoEncodedSlashLower, """(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2f') : true""",
            "must not contain '%2f' when type one of ['Exact', 'PathPrefix']", v => !v.Contains("%2f", StringComparison.Ordinal));
        yield return PathRule(CelRuleNames.PathNoEncodedSlashUpper, """(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2F') : true""",
            "must not contain '%2F' when type one of ['Exact', 'PathPrefix']", v => !v.Contains("%2F", StringComparison.Ordinal));
        yield return PathRule(CelRuleNames.PathNoFragment, """(self.type in ['Exact','PathPrefix']) ? !self.value.contains('#') : true""",
            "must not contain '#' when type one of ['Exact', 'PathPrefix']", v => !v.Contains('#', StringComparison.Ordinal));
        yield return PathRule(CelRuleNames.PathNoTrailingDotDot, """(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/..') : true""",
            "must not end with '/..' when type one of ['Exact', 'PathPrefix']", v => !v.EndsWith("/..", StringComparison.Ordinal));
        yield return PathRule(CelRuleNames.PathNoTrailingDot, """(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/.') : true""",
            "must not end with '/.' when type one of ['Exact', 'PathPrefix']", v => !v.EndsWith("/.", StringComparison.Ordinal));
        yield return new(CelRuleNames.PathTypeKnown, """self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'""",
            "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
            i => ((HttpPathMatch)i.Self).Type is "Exact" or "PathPrefix" or "RegularExpression");
        yield return PathRule(CelRuleNames.PathCharacters, """"(self.type in ['Exact','PathPrefix']) ? self.value.matches(r"""^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$""") : true"""",
            "must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
            v => Matches(v, "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$"));

        // gRPC method matches.
        yield return new(CelRuleNames.GrpcServiceOrMethod, """has(self.type) ? has(self.service) || has(self.method) : true""",
            "One or both of 'service' or 'method' must be specified",
            i => !i.Has("type") || i.Has("service") || i.Has("method"));
        yield return new(CelRuleNames.GrpcServiceCharacters, """"(!has(self.type) || self.type == 'Exact') && has(self.service) ? self.service.matches(r"""^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$"""): true"""",
            @"service must only contain valid characters (matching ^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$)",
            i => ((GrpcMethodMatch)i.Self) is var m && (m.Type is not (null or "Exact") || m.Service is null ||
                                                        Matches(m.Service, @"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$")));
        yield return new(CelRuleNames.GrpcMethodCharacters, """"(!has(self.type) || self.type == 'Exact') && has(self.method) ? self.method.matches(r"""^[A-Za-z_][A-Za-z_0-9]*$"""): true"""",
            "method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)",
            i => ((GrpcMethodMatch)i.Self) is var m && (m.Type is not (null or "Exact") || m.Method is null ||
                                                        Matches(m.Method, "^[A-Za-z_][A-Za-z_0-9]*$")));

        // BackendTLSPolicy validation.
        yield return new(CelRuleNames.CaRefsOrWellKnownNotBoth, """!(has(self.caCertificateRefs) && size(self.caCertificateRefs) > 0 && has(self.wellKnownCACertificates) && self.wellKnownCACertificates != "")""",
            "must not contain both CACertificateRefs and WellKnownCACertificates",
            i => ((BackendTlsValidation)i.Self) is var v && !(v.CaCertificateRefs.Count > 0 && !string.IsNullOrEmpty(v.WellKnownCACertificates)));
        yield return new(CelRuleNames.CaRefsOrWellKnown, """(has(self.caCertificateRefs) && size(self.caCertificateRefs) > 0 || has(self.wellKnownCACertificates) && self.wellKnownCACertificates != "")""",
            "must specify either CACertificateRefs or WellKnownCACertificates",
            i => ((BackendTlsValidation)i.Self) is var v && (v.CaCertificateRefs.Count > 0 || !string.IsNullOrEmpty(v.WellKnownCACertificates)));
        yield return new(CelRuleNames.SanHostnameForHostnameType, """!(self.type == "Hostname" && (!has(self.hostname) || self.hostname == ""))""",
            "SubjectAltName element must contain Hostname, if Type is set to Hostname",
            i => ((SubjectAltName)i.Self) is var s && !(s.Type == "Hostname" && string.IsNullOrEmpty(s.Hostname)));
        yield return new(CelRuleNames.SanHostnameOnlyForHostnameType, """!(self.type != "Hostname" && has(self.hostname) && self.hostname != "")""",
            "SubjectAltName element must not contain Hostname, if Type is not set to Hostname",
            i => ((SubjectAltName)i.Self) is var s && !(s.Type != "Hostname" && !string.IsNullOrEmpty(s.Hostname)));
        yield return new(CelRuleNames.SanUriForUriType, """!(self.type == "URI" && (!has(self.uri) || self.uri == ""))""",
            "SubjectAltName element must contain URI, if Type is set to URI",
            i => ((SubjectAltName)i.Self) is var s && !(s.Type == "URI" && string.IsNullOrEmpty(s.Uri)));
        yield return new(CelRuleNames.SanUriOnlyForUriType, """!(self.type != "URI" && has(self.uri) && self.uri != "")""",
            "SubjectAltName element must not contain URI, if Type is not set to URI",
            i => ((SubjectAltName)i.Self) is var s && !(s.Type != "URI" && !string.IsNullOrEmpty(s.Uri)));
    }

    /// <summary>The HTTPRoute and GRPCRoute rules' bound on the total number of matches, as the CRDs spell it out.</summary>
    private static string MatchCountExpression(bool grpc) => string.Join(" + ", Enumerable.Range(0, 16).Select(n => grpc
        ? string.Create(CultureInfo.InvariantCulture, $"(self.size() > {n} ? (has(self[{n}].matches) ? self[{n}].matches.size() : 0) : 0)")
        : string.Create(CultureInfo.InvariantCulture, $"(self.size() > {n} ? self[{n}].matches.size() : 0)"))) + " <= 128";

    private static CelRule PathRule(string name, string expression, string message, Func<string, bool> holds) =>
        new(name, expression, message, i => ((HttpPathMatch)i.Self) is var p && (p.Type is not ("Exact" or "PathPrefix") || holds(p.Value ?? "")));

    private static IEnumerable<T> Items<T>(CelInput input) => ((IEnumerable<object>)input.Self).Cast<T>();

    /// <summary>CEL's <c>self.all(a, self.exists_one(b, same(a, b)))</c>.</summary>
    private static bool ExactlyOnce<T>(IEnumerable<T> items, Func<T, T, bool> same)
    {
        var list = items.ToList();
        return list.All(a => list.Count(b => same(a, b)) == 1);
    }

    private static bool SameParent(ParentReference a, ParentReference b) =>
        a.Group == b.Group && a.Kind == b.Kind && a.Name == b.Name && (a.Namespace ?? "") == (b.Namespace ?? "");

    private static bool SameTarget(BackendTlsTargetReference a, BackendTlsTargetReference b) =>
        a.Group == b.Group && a.Kind == b.Kind && a.Name == b.Name;

    private static bool ReplacesPrefix(HttpPathModifier? path) =>
        path is { Type: "ReplacePrefixMatch", ReplacePrefixMatch: not null };

    private static bool OnePrefixMatch(HttpRouteRule rule) =>
        rule.Matches.Count == 1 && rule.Matches[0].Path is { Type: "PathPrefix" };

    private static bool BackendWithinRequest(string request, string backendRequest) =>
        Istio.Durations.TryParse(request, out TimeSpan total) && Istio.Durations.TryParse(backendRequest, out TimeSpan backend) &&
        (total == TimeSpan.Zero || backend <= total);

    private static bool WildcardAlone(CelInput input) =>
        ((IReadOnlyList<string>)input.Self) is var values && !(values.Contains("*") && values.Count > 1);

    /// <summary>The <c>type</c> of each filter in a list, whatever the route kind.</summary>
    private static IEnumerable<string?> FilterTypes(CelInput input) =>
        ((IEnumerable<object>)input.Self).Select(f => Text(f, "type"));

    /// <summary>A string field of a record by its YAML key, for rules that several record types share.</summary>
    private static string? Text(object record, string name) => ModelFields.Find(record.GetType(), name)?.ValueIn(record) as string;

    private static bool Matches(string value, string pattern) =>
        Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}

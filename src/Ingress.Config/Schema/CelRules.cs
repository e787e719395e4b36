using System.Globalization;
using Ingress.Config.Model;

namespace Ingress.Config.Schema;

/// <summary>What a CEL rule sees: <c>self</c> (the field's value or the object) and <c>has(self.x)</c>.</summary>
public sealed class CelInput(object self, Func<string, bool> has)
{
    /// <summary>The value the rule is on: a string, a map, or a model record.</summary>
    public object Self { get; } = self;

    /// <summary><c>has(self.name)</c>: whether the object's field with that YAML key is set.</summary>
    public bool Has(string name) => has(name);
}

/// <summary>One <c>x-kubernetes-validations</c> rule: its CEL text, its message, and the same check in C#.</summary>
public sealed record CelRule(string Name, string Expression, string Message, Func<CelInput, bool> Holds)
{
    /// <summary>Why the rule cannot be evaluated on a file (it is skipped and listed as not evaluated), or null.</summary>
    public string? NotEvaluated { get; init; }
}

/// <summary>
/// The CEL rules of the Istio, cert-manager and Gateway API CRDs that can be evaluated without a cluster, written as
/// ordinary code. Model properties and types name them with <see cref="CelAttribute"/>; the schema tests check that every
/// rule in the CRDs is either here (same expression) or listed in docs/conformance.md as not evaluated.
/// </summary>
public static partial class CelRules
{
    /// <summary>Every implemented rule, by name.</summary>
    public static IReadOnlyDictionary<string, CelRule> All { get; } = new CelRule[]
    {
        new(CelRuleNames.Duration, "duration(self) >= duration('1ms')", "must be a valid duration greater than 1ms",
            i => Istio.Durations.TryParse((string)i.Self, out long d) && d >= Istio.Durations.NanosecondsPerMillisecond),
        new(CelRuleNames.LabelKeyNoWildcard, "self.all(key, !key.contains(\"*\"))", "wildcard not allowed in label key match",
            i => Keys(i).All(k => !k.Contains('*', StringComparison.Ordinal))),
        new(CelRuleNames.LabelKeyNotEmpty, "self.all(key, key.size() != 0)", "key must not be empty",
            i => Keys(i).All(k => k.Length != 0)),
        new(CelRuleNames.LabelValueNoWildcard, "!self.contains(\"*\")", "wildcard not allowed in label value match",
            i => !((string)i.Self).Contains('*', StringComparison.Ordinal)),
        new(CelRuleNames.TlsCertificatesOrCredentialNames,
            "(has(self.tlsCertificates) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1",
            "only one of credentialNames or tlsCertificates can be set",
            i => Count(i, "tlsCertificates", "credentialNames") <= 1),
        new(CelRuleNames.CredentialNameOrCredentialNames,
            "(has(self.credentialName) ? 1 : 0) + (has(self.credentialNames) ? 1 : 0) <= 1",
            "only one of credentialName or credentialNames can be set",
            i => Count(i, "credentialName", "credentialNames") <= 1),
        // Upstream's rule tests credentialNames although its message says credentialName; applied as written.
        new(CelRuleNames.CredentialNameOrTlsCertificates,
            "(has(self.credentialNames) ? 1 : 0) + (has(self.tlsCertificates) ? 1 : 0) <= 1",
            "only one of credentialName or tlsCertificates can be set",
            i => Count(i, "credentialNames", "tlsCertificates") <= 1),
        new(CelRuleNames.SelectorOrTargetRefs,
            "(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1",
            "only one of targetRefs or selector can be set",
            i => Count(i, "selector", "targetRef", "targetRefs") <= 1),
        new(CelRuleNames.ServiceAccountsAlone,
            "(has(self.serviceAccounts) || has(self.notServiceAccounts)) ? (!has(self.principals) && " +
            "!has(self.notPrincipals) && !has(self.namespaces) && !has(self.notNamespaces)) : true",
            "Cannot set serviceAccounts with namespaces or principals",
            i => Count(i, "serviceAccounts", "notServiceAccounts") == 0 ||
                 Count(i, "principals", "notPrincipals", "namespaces", "notNamespaces") == 0),
        new(CelRuleNames.SameNamespace, "self.size() == 0", "cross namespace referencing is not currently supported",
            i => ((string)i.Self).Length == 0),
        new(CelRuleNames.PortLevelMtlsNeedsSelector,
            "has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? " +
            "self.selector.matchLabels : {}).size() > 0) : true",
            "portLevelMtls requires selector",
            i => !i.Has("portLevelMtls") || ((PeerAuthenticationSpec)i.Self).Selector?.MatchLabels.Count > 0),
        // int(key) fails to evaluate for a key that is not a number; the API server rejects that too.
        new(CelRuleNames.PortKeysInRange, "self.all(key, 0 < int(key) && int(key) <= 65535)", "port must be between 1-65535",
            i => Keys(i).All(k => long.TryParse(k, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
                out var port) && port is > 0 and <= 65535)),
        new(CelRuleNames.OneJwksSource,
            "(has(self.jwksUri) ? 1 : 0) + (has(self.jwks_uri) ? 1 : 0) + (has(self.jwks) ? 1 : 0) <= 1",
            "only one of jwks or jwksUri can be set",
            i => Count(i, "jwksUri", "jwks_uri", "jwks") <= 1),
        new(CelRuleNames.HttpUrl, "url(self).getScheme() in [\"http\", \"https\"]", "url must have scheme http:// or https://",
            i => Uri.TryCreate((string)i.Self, UriKind.Absolute, out var uri) &&
                 uri.Scheme is "http" or "https"),
        // self.value on an absent value fails to evaluate; the API server rejects that too.
        new(CelRuleNames.UpsertNeedsValue,
            "((has(self.operation) ? self.operation : \"\") == \"UPSERT\") ? (self.value != \"\") : true",
            "value must be set when operation is UPSERT",
            i => ((MetricTagOverride)i.Self).Operation != "UPSERT" || !string.IsNullOrEmpty(((MetricTagOverride)i.Self).Value)),
        new(CelRuleNames.RemoveForbidsValue,
            "((has(self.operation) ? self.operation : \"\") == \"REMOVE\") ? !has(self.value) : true",
            "value must not be set when operation is REMOVE",
            i => ((MetricTagOverride)i.Self).Operation != "REMOVE" || !i.Has("value")),
    }.Concat(GatewayApiRules()).ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>A CEL expression with its line breaks and runs of spaces folded, for comparing with the CRD's.</summary>
    public static string Normalize(string expression) =>
        string.Join(' ', expression.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static IEnumerable<string> Keys(CelInput input) => input.Self switch
    {
        System.Collections.IDictionary map => map.Keys.Cast<string>(),
        IEnumerable<KeyValuePair<string, string>> map => map.Select(e => e.Key),
        IEnumerable<KeyValuePair<string, MutualTls>> map => map.Select(e => e.Key),
        _ => [],
    };

    private static int Count(CelInput input, params string[] names) => names.Count(input.Has);
}

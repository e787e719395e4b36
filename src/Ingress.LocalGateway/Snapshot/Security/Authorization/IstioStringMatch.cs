using System.Text.RegularExpressions;

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>
/// Istio's string wildcard for policy values (<c>pilot/pkg/security/authz/matcher/string.go</c>): <c>*</c> matches
/// any non-empty value, <c>*suffix</c> a suffix, <c>prefix*</c> a prefix, anything else the exact value. An optional
/// fixed prefix (<c>spiffe://</c> for principals) is put in front of the pattern, except for <c>*</c> alone.
/// </summary>
internal sealed class IstioStringMatch
{
    private enum Kind { Presence, Exact, Prefix, Suffix, PrefixAndSuffix }

    private readonly Kind _kind;
    private readonly string _a;
    private readonly string _b;
    private readonly StringComparison _comparison;

    private IstioStringMatch(Kind kind, string a, string b, bool ignoreCase)
    {
        _kind = kind;
        _a = a;
        _b = b;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    public static IstioStringMatch Create(string pattern, string fixedPrefix = "", bool ignoreCase = false)
    {
        if (pattern == "*")
        {
            return new IstioStringMatch(Kind.Presence, "", "", ignoreCase);
        }

        if (pattern.StartsWith('*'))
        {
            var suffix = pattern[1..];
            return fixedPrefix.Length == 0
                ? new IstioStringMatch(Kind.Suffix, suffix, "", ignoreCase)
                : new IstioStringMatch(Kind.PrefixAndSuffix, fixedPrefix, suffix, ignoreCase);
        }

        if (pattern.EndsWith('*'))
        {
            return new IstioStringMatch(Kind.Prefix, fixedPrefix + pattern[..^1], "", ignoreCase);
        }

        return new IstioStringMatch(Kind.Exact, fixedPrefix + pattern, "", ignoreCase);
    }

    /// <summary>An exact match, even for a value containing <c>*</c> (Istio uses these on split principals).</summary>
    public static IstioStringMatch Exact(string value) => new(Kind.Exact, value, "", ignoreCase: false);

    public bool Matches(string? value)
    {
        if (value is null)
        {
            return false;
        }

        return _kind switch
        {
            Kind.Presence => value.Length > 0,
            Kind.Exact => string.Equals(value, _a, _comparison),
            Kind.Prefix => value.StartsWith(_a, _comparison),
            Kind.Suffix => value.EndsWith(_a, _comparison),
            _ => value.Length >= _a.Length + _b.Length && value.StartsWith(_a, _comparison) && value.EndsWith(_b, _comparison),
        };
    }
}

/// <summary>Builds the regular expressions Istio generates for namespaces and service accounts.</summary>
internal static partial class IdentityPatterns
{
    /// <summary><c>.*/ns/&lt;namespace&gt;/.*</c>, where <c>*</c> in the value matches anything.</summary>
    public static Regex Namespace(string value) =>
        new("^.*/ns/" + Wildcard(value) + "/.*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary><c>spiffe://.+/ns/&lt;ns&gt;/(.+/|)sa/&lt;sa&gt;(/.+)?</c>; the namespace defaults to the policy's.</summary>
    public static Regex ServiceAccount(string defaultNamespace, string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var ns = slash >= 0 ? value[..slash] : defaultNamespace;
        var sa = slash >= 0 ? value[(slash + 1)..] : value;
        return new Regex("^spiffe://.+/ns/" + Regex.Escape(ns) + "/(.+/|)sa/" + Regex.Escape(sa) + "(/.+)?$",
            RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    private static string Wildcard(string value) =>
        string.Join(".*", value.Split('*').Select(Regex.Escape));
}

using System.Globalization;
using System.Text.RegularExpressions;
using Ingress.Config.Istio;

namespace Ingress.Config.Validation;

/// <summary>Host name and label checks as Istio makes them (pkg/config/validation/agent, pkg/config/labels).</summary>
internal static partial class Names
{
    [GeneratedRegex(@"^(\*|(\*|\*-)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)$")]
    private static partial Regex WildcardLabel();

    /// <summary>An HTTP token (RFC 7230 tchar), Istio's validHeaderNameRegex.</summary>
    [GeneratedRegex("^[!#$%&'*+\\-.^_`|~A-Za-z0-9]+$")]
    private static partial Regex HeaderToken();

    /// <summary>Istio's validStrictHeaderNameRegex: letters, digits and '-' only.</summary>
    [GeneratedRegex("^[-A-Za-z0-9]+$")]
    private static partial Regex StrictHeaderName();

    public static bool IsDns1123Label(string? value) => DnsLabels.IsValid(value);

    /// <summary>A Kubernetes object name that Istio also reads as a DNS label: lower case (Kubernetes) and no dots (Istio).</summary>
    public static bool IsLowerCaseDns1123Label(string? value) => DnsLabels.IsValid(value) && !value!.Any(char.IsAsciiLetterUpper);

    /// <summary>Kubernetes' qualified name (a label key's name part, a label value when not empty).</summary>
    [GeneratedRegex("^(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    /// <summary>A label key's optional DNS prefix: labels joined by dots, then <c>/</c>.</summary>
    [GeneratedRegex("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*$")]
    private static partial Regex DnsPrefix();

    /// <summary>
    /// Istio's labels.Instance key check (<c>validateTagKey</c>): an optional DNS prefix (at most 253 characters) and
    /// <c>/</c>, then a qualified name of at most 63 characters. Null when valid.
    /// </summary>
    public static string? LabelKeyError(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? "" : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        if ((slash >= 0 && !DnsPrefix().IsMatch(prefix)) || !QualifiedName().IsMatch(name))
        {
            return $"invalid tag key: \"{key}\"";
        }

        if (prefix.Length > 253)
        {
            return $"invalid tag key: \"{key}\" (DNS prefix is too long)";
        }

        return name.Length > 63 ? $"invalid tag key: \"{key}\" (name is too long)" : null;
    }

    /// <summary>Istio's label value check: empty, or a qualified name.</summary>
    public static bool IsLabelValue(string value) => value.Length == 0 || QualifiedName().IsMatch(value);

    /// <summary>A header name as HTTP allows it (Istio's ValidateHTTPHeaderNameOrJwtClaimRoute and CORS header check).</summary>
    public static bool IsValidHeaderName(string name) => HeaderToken().IsMatch(name);

    /// <summary>A header name Istio accepts where it is strict (ValidateStrictHTTPHeaderName): letters, digits, '-'.</summary>
    public static bool IsStrictHeaderName(string name) => StrictHeaderName().IsMatch(name);

    /// <summary>
    /// Istio's ValidateWildcardDomainForVirtualServiceBoundToGateway: a VirtualService bound to a gateway whose TLS
    /// routes match SNI may name the host Istio generates for AUTO_PASSTHROUGH, <c>outbound_.PORT_._.HOSTNAME</c>
    /// (a port starting with a digit, a host name with a letter); any other host is a wildcard domain. Null when valid.
    /// </summary>
    public static string? GatewayBoundHostError(string host, bool sni)
    {
        if (Preconditions(host) is { } error)
        {
            return error;
        }

        if (!sni || !host.StartsWith("outbound_", StringComparison.Ordinal))
        {
            return WildcardDomainError(host);
        }

        var parts = host.Split('_');
        if (parts.Length < 4)
        {
            return $"domain name {host} invalid, should follow 'outbound_.<PORT>_._.<HOSTNAME>' format";
        }

        var port = parts[1].Trim('.');
        var name = parts[3].Trim('.');
        if (parts[0] != "outbound")
        {
            return $"domain name \"{host}\" invalid (label \"{parts[0]}\" invalid)";
        }

        if (!port.Any(char.IsAsciiDigit))
        {
            return $"domain name \"{host}\" invalid (label \"{port}\" invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format";
        }

        return name.Any(char.IsAsciiLetter)
            ? null
            : $"domain name \"{host}\" invalid (label \"{name}\" invalid). should follow outbound_.<PORT>_._.<HOSTNAME> format";
    }

    /// <summary>Istio's netutil.IsValidIPAddress: an address Go's netip.ParseAddr accepts.</summary>
    public static bool IsIpAddress(string value) => IpAddresses.IsAddress(value);

    /// <summary>
    /// Istio's ValidateUnixAddress for the part after <c>unix://</c>: not empty; an abstract socket (<c>@name</c>) or an
    /// absolute path to a file (not ending in <c>/</c>). Null when valid.
    /// </summary>
    public static string? UnixAddressError(string address) => address switch
    {
        "" => "unix address must not be empty",
        _ when address.StartsWith('@') => null,
        _ when !address.StartsWith('/') || address.EndsWith('/') => $"{address} is not an absolute path to a file",
        _ => null,
    };

    /// <summary>A domain name with an optional wildcard first label (<c>*.example.com</c>, <c>*</c>); null when valid.</summary>
    public static string? WildcardDomainError(string domain)
    {
        if (Preconditions(domain) is { } error)
        {
            return error;
        }

        var dot = domain.IndexOf('.', StringComparison.Ordinal);
        var first = dot < 0 ? domain : domain[..dot];
        if (first.Length > 63 || !WildcardLabel().IsMatch(first))
        {
            return $"domain name \"{domain}\" invalid (label \"{first}\" invalid)";
        }

        return dot < 0 ? null : LabelsError(domain[(dot + 1)..], domain);
    }

    /// <summary>A fully qualified domain name (no wildcard); null when valid.</summary>
    public static string? FqdnError(string domain) => Preconditions(domain) ?? LabelsError(domain, domain);

    /// <summary>A Gateway server host: <c>[namespace/]host</c>, host an FQDN, <c>*</c> or <c>*.suffix</c>, or an IP.</summary>
    public static IEnumerable<string> GatewayHostErrors(string host)
    {
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var ns = host[..slash];
            var name = host[(slash + 1)..];
            if (ns.Length == 0 || name.Length == 0)
            {
                yield return "config namespace and dnsName in host entry cannot be empty";
            }

            if (ns is not ("*" or ".") && !IsDns1123Label(ns))
            {
                yield return ns == "~"
                    ? "invalid namespace value \"~\" in gateway (\"~/\" is only generated for Kubernetes Gateway API resources)"
                    : $"invalid namespace value \"{ns}\" in gateway";
            }

            host = name;
        }

        if (host != "*" && !host.Contains('.', StringComparison.Ordinal))
        {
            yield return "short names (non FQDN) are not allowed";
        }

        if (WildcardDomainError(host) is { } error && !IsIpAddress(host))
        {
            yield return error;
        }

        if (host.Contains('*', StringComparison.Ordinal) && host.Length != 1 && !host.StartsWith("*.", StringComparison.Ordinal))
        {
            yield return $"partial wildcard \"{host}\" not allowed";
        }
    }

    private static string? Preconditions(string name) => name.Length switch
    {
        0 => "empty domain name not allowed",
        > 255 => $"domain name \"{name}\" too long (max 255)",
        _ => null,
    };

    private static string? LabelsError(string labels, string domain)
    {
        var parts = labels.Split('.');
        var top = parts[^1];
        if (top.Length > 0 && top.All(char.IsAsciiDigit) && long.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return $"domain name \"{domain}\" invalid (top level domain \"{top}\" cannot be all-numeric)";
        }

        for (var i = 0; i < parts.Length; i++)
        {
            // A trailing dot (istio.io.) is an unambiguous absolute name.
            if (i == parts.Length - 1 && parts[i].Length == 0)
            {
                return null;
            }

            if (!IsDns1123Label(parts[i]))
            {
                return $"domain name \"{domain}\" invalid (label \"{parts[i]}\" invalid)";
            }
        }

        return null;
    }
}

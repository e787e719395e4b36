using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Ingress.Config.Validation;

/// <summary>Host name and label checks as Istio makes them (pkg/config/validation/agent, pkg/config/labels).</summary>
internal static partial class Names
{
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^(\*|(\*|\*-)?[a-z0-9]([-a-z0-9]*[a-z0-9])?)$")]
    private static partial Regex WildcardLabel();

    [GeneratedRegex("^[-_A-Za-z0-9]+$")]
    private static partial Regex HeaderName();

    public static bool IsDns1123Label(string? value) =>
        value is { Length: > 0 and <= 63 } && Dns1123Label().IsMatch(value);

    public static bool IsValidHeaderName(string name) => HeaderName().IsMatch(name);

    public static bool IsIpAddress(string value) => IPAddress.TryParse(value, out _);

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
            if (host.Length == 0)
            {
                yield break;
            }
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

using System.Globalization;
using System.Net;

namespace Ingress.Cli.Explaining;

/// <summary>The <c>'METHOD URL'</c> argument of <c>ingress explain</c>, read as a client would send it.</summary>
/// <param name="Method">The method as written (not upper-cased: the gateway judges it).</param>
/// <param name="Scheme"><c>http</c> or <c>https</c>.</param>
/// <param name="Host">The host of the URL (no port, IPv6 brackets kept).</param>
/// <param name="Port">The URL's port, or the scheme's default.</param>
/// <param name="Authority">The Host header a client sends: the host, and the port when the URL names a non-default one.</param>
/// <param name="Target">The path and query exactly as written (<c>/</c> when the URL has none); the fragment kept, as the gateway cuts it.</param>
internal sealed record ExplainTarget(string Method, string Scheme, string Host, int Port, string Authority, string Target)
{
    /// <summary>Reads <c>METHOD URL</c> (or a URL alone, for GET); null with the reason when it is not one.</summary>
    public static ExplainTarget? Parse(string text, out string? error)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (method, url) = parts.Length switch
        {
            1 => ("GET", parts[0]),
            2 => (parts[0], parts[1]),
            _ => (null, null),
        };
        if (method is null || url is null)
        {
            error = $"'{text}': expected 'METHOD URL', e.g. 'GET https://httpsserver.kuopenx.io/test/hello'";
            return null;
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 ? url[..schemeEnd].ToLowerInvariant() : "";
        if (scheme is not ("http" or "https"))
        {
            error = $"'{url}': the URL must start with http:// or https://";
            return null;
        }

        var rest = url[(schemeEnd + 3)..];
        var targetStart = rest.IndexOfAny(['/', '?', '#']);
        var authority = targetStart >= 0 ? rest[..targetStart] : rest;
        var target = targetStart >= 0 ? rest[targetStart..] : "/";
        if (target[0] != '/')
        {
            target = "/" + target;
        }

        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        var defaultPort = scheme == "https" ? 443 : 80;
        var host = authority;
        var port = defaultPort;
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && colon > authority.LastIndexOf(']'))
        {
            host = authority[..colon];
            if (!int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                error = $"'{url}': the port must be a number from 1 to 65535";
                return null;
            }
        }

        if (host.Length == 0)
        {
            error = $"'{url}': the URL has no host";
            return null;
        }

        error = null;
        var hostHeader = port == defaultPort ? host : host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return new ExplainTarget(method, scheme, host, port, hostHeader, target);
    }

    /// <summary>Whether the host is an IP address (a TLS client sends no SNI for one).</summary>
    public bool HostIsAddress => IPAddress.TryParse(Host.Trim('[', ']'), out _);
}

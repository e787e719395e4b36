using System.Globalization;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Hosting.Endpoints;

/// <summary>Parses <c>host:port=url[;label=value...]</c> as given to <c>--endpoint</c>.</summary>
public static class EndpointParser
{
    /// <summary>Parses one definition, or returns an error that says what was wrong and how to write it.</summary>
    public static EndpointDefinition Parse(string text, out string? error)
    {
        error = null;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"endpoint '{text}': expected <host>:<port>=<url>[;<label>=<value>...], e.g. " +
                    "httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:5080;version=v1";
            return null!;
        }

        var hostPort = text[..equals].Trim();
        var rest = text[(equals + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            error = $"endpoint '{text}': '{hostPort}' must be <service host>:<port> with a port in 1-65535";
            return null!;
        }

        if (rest.Length == 0 || !Uri.TryCreate(rest[0], UriKind.Absolute, out var address)
            || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            error = $"endpoint '{text}': the address after '=' must be an http:// or https:// URL such as http://127.0.0.1:5080";
            return null!;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < rest.Length; i++)
        {
            var label = rest[i].Split('=', 2, StringSplitOptions.TrimEntries);
            if (label.Length != 2 || label[0].Length == 0)
            {
                error = $"endpoint '{text}': label '{rest[i]}' must be written <label>=<value>";
                return null!;
            }

            labels[label[0]] = label[1];
        }

        return new EndpointDefinition
        {
            Host = hostPort[..colon].ToLowerInvariant(),
            Port = port,
            Address = address,
            Labels = labels,
        };
    }
}

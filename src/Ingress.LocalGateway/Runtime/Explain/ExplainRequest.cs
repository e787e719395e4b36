using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Ingress.LocalGateway.Runtime.Explain;

/// <summary>
/// One request as a client would send it to the gateway, for <see cref="RequestExplainer"/>: the connection (Gateway
/// port, scheme, SNI, client certificate, source address) and the HTTP/1.1 request on it.
/// </summary>
public sealed record ExplainRequest
{
    /// <summary>The method as sent (case kept: the gateway refuses what is not upper case).</summary>
    public required string Method { get; init; }

    /// <summary><c>http</c> or <c>https</c>: whether the client speaks TLS on the connection.</summary>
    public required string Scheme { get; init; }

    /// <summary>The Gateway port the connection reaches.</summary>
    public required int Port { get; init; }

    /// <summary>The Host header as sent (a port kept when the client writes one).</summary>
    public required string Authority { get; init; }

    /// <summary>The request target as sent (origin form: <c>/path?query</c>).</summary>
    public required string Target { get; init; }

    /// <summary>The other request headers, in order (repeated names allowed).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The SNI of the TLS handshake, or null for none (a client sends none for an IP address).</summary>
    public string? Sni { get; init; }

    /// <summary>The certificate the client presents in the handshake, or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>The address the connection comes from.</summary>
    public IPAddress SourceIp { get; init; } = IPAddress.Loopback;
}

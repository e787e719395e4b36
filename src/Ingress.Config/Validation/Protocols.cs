namespace Ingress.Config.Validation;

/// <summary>Istio's port protocol names (pkg/config/protocol), matched case-insensitively as Istio does.</summary>
internal static class Protocols
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "HTTP", "HTTPS", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB", "TCP", "TLS", "UDP", "MONGO", "REDIS", "MYSQL",
    };

    public static bool IsKnown(string? protocol) => protocol is not null && Known.Contains(protocol);

    /// <summary>Protocols whose server terminates or passes through TLS: HTTPS and TLS.</summary>
    public static bool IsTls(string? protocol) =>
        string.Equals(protocol, "HTTPS", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(protocol, "TLS", StringComparison.OrdinalIgnoreCase);

    /// <summary>Plain-text HTTP family: HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-WEB.</summary>
    public static bool IsHttp(string? protocol) => protocol is not null &&
        (protocol.Equals("HTTP", StringComparison.OrdinalIgnoreCase) ||
         protocol.Equals("HTTP2", StringComparison.OrdinalIgnoreCase) ||
         protocol.Equals("HTTP_PROXY", StringComparison.OrdinalIgnoreCase) ||
         protocol.Equals("GRPC", StringComparison.OrdinalIgnoreCase) ||
         protocol.Equals("GRPC-WEB", StringComparison.OrdinalIgnoreCase));
}

namespace HttpServer.Headers;

/// <summary>Which request headers may be echoed into the response, and which are redacted in <c>/headers</c>.</summary>
public static class HeaderRules
{
    /// <summary>The response header carrying the service version; never taken from the request.</summary>
    public const string VersionHeader = "Version";

    /// <summary>Written in place of a secret's value by <c>/headers</c>.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>Request headers never copied into the response.</summary>
    /// <remarks>
    /// Credentials (echoing them would leak them into caches and logs), hop-by-hop headers (RFC 9110 §7.6.1: they
    /// describe one connection and must not be forwarded), headers that describe the request's own body or target
    /// (copying them would corrupt the response framing), and <c>Version</c>, which the service sets itself.
    /// Any <c>Content-*</c> header is excluded for the same framing reason.
    /// </remarks>
    public static IReadOnlySet<string> NotCopied { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        // Credentials.
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
        // Hop-by-hop.
        "Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Connection",
        // Request framing and target.
        "Content-Length", "Content-Type", "Content-Encoding", "Host", "Expect",
        // Set by the service.
        VersionHeader,
    };

    /// <summary>Request headers whose values <c>/headers</c> replaces with <see cref="Redacted"/>.</summary>
    public static IReadOnlySet<string> Secret { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie",
    };

    /// <summary>True when the request header <paramref name="name"/> may be copied into the response.</summary>
    public static bool IsCopyable(string name) =>
        !NotCopied.Contains(name)
        && !name.StartsWith(':')
        && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase);
}

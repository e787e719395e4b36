namespace HttpServer.ServiceDefaults;

/// <summary>The service version, read from the <c>VERSION</c> environment variable (or configuration key).</summary>
public sealed record VersionInfo
{
    /// <summary>Used when <c>VERSION</c> is unset or empty.</summary>
    public const string Unknown = "unknown";

    /// <summary>The value sent in every response's <c>Version</c> header.</summary>
    public required string Version { get; init; }

    /// <summary>Reads <c>VERSION</c> from configuration (environment variables are part of it).</summary>
    public static VersionInfo From(IConfiguration configuration) =>
        new() { Version = configuration["VERSION"] is { Length: > 0 } v ? v.Trim() : Unknown };
}

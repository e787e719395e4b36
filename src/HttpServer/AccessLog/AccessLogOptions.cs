namespace HttpServer.AccessLog;

/// <summary>Access-log settings (section <c>AccessLog</c>).</summary>
/// <remarks>Settable properties: the configuration binder generated for the native build does not set init-only ones
/// (dotnet/runtime#107856), and would leave every setting at its default without a word.</remarks>
public sealed record AccessLogOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "AccessLog";

    /// <summary><c>Text</c> (default), <c>Json</c> or <c>Off</c>.</summary>
    public AccessLogFormat Format { get; set; } = AccessLogFormat.Text;
}

/// <summary>How access-log lines are written.</summary>
public enum AccessLogFormat
{
    /// <summary>One space-separated line per request.</summary>
    Text,

    /// <summary>One JSON object per line.</summary>
    Json,

    /// <summary>No access log.</summary>
    Off,
}

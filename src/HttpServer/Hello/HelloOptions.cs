using System.ComponentModel.DataAnnotations;

namespace HttpServer.Hello;

/// <summary><c>/hello</c> settings (section <c>Hello</c>).</summary>
/// <remarks>Settable properties: the configuration binder generated for the native build does not set init-only ones
/// (dotnet/runtime#107856), and would leave every setting at its default without a word.</remarks>
public sealed record HelloOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Hello";

    /// <summary>Upper bound of the random delay before answering, in ms (default 0: no delay, so benchmarks measure the server).</summary>
    [Range(0, 60_000, ErrorMessage = "Hello:MaxDelayMs must be between {1} and {2} (milliseconds).")]
    public int MaxDelayMs { get; set; }
}

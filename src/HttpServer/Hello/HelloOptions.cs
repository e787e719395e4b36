using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HttpServer.Hello;

/// <summary><c>/hello</c> settings (section <c>Hello</c>).</summary>
public sealed record HelloOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Hello";

    /// <summary>Upper bound of the random delay before answering, in ms (default 0: no delay, so benchmarks measure the server).</summary>
    [Range(0, 60_000, ErrorMessage = "Hello:MaxDelayMs must be between {1} and {2} (milliseconds).")]
    public int MaxDelayMs { get; init; }
}

/// <summary>Checks the <see cref="HelloOptions"/> attributes with code generated at compile time (no reflection: the native build).</summary>
[OptionsValidator]
internal sealed partial class HelloOptionsValidator : IValidateOptions<HelloOptions>;

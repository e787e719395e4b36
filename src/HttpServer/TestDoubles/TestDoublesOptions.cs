using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HttpServer.TestDoubles;

/// <summary>Mesh test-double endpoints (section <c>TestDoubles</c>).</summary>
public sealed record TestDoublesOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "TestDoubles";

    /// <summary>Maps <c>/headers</c>, <c>/status</c>, <c>/delay</c>, <c>/version</c> and the readiness switch (default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Largest delay <c>/delay/{seconds}</c> accepts (default 60).</summary>
    [Range(0.0, 3600.0, ErrorMessage = "TestDoubles:MaxDelaySeconds must be between {1} and {2} seconds.")]
    public double MaxDelaySeconds { get; init; } = 60;
}

/// <summary>Checks the <see cref="TestDoublesOptions"/> attributes with code generated at compile time (no reflection: the native build).</summary>
[OptionsValidator]
internal sealed partial class TestDoublesOptionsValidator : IValidateOptions<TestDoublesOptions>;

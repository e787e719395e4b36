using System.ComponentModel.DataAnnotations;

namespace HttpServer.TestDoubles;

/// <summary>Mesh test-double endpoints (section <c>TestDoubles</c>).</summary>
/// <remarks>Settable properties: the configuration binder generated for the native build does not set init-only ones
/// (dotnet/runtime#107856), and would leave every setting at its default without a word.</remarks>
public sealed record TestDoublesOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "TestDoubles";

    /// <summary>Maps <c>/headers</c>, <c>/status</c>, <c>/delay</c>, <c>/version</c> and the readiness switch (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Largest delay <c>/delay/{seconds}</c> accepts (default 60).</summary>
    [Range(0.0, 3600.0, ErrorMessage = "TestDoubles:MaxDelaySeconds must be between {1} and {2} seconds.")]
    public double MaxDelaySeconds { get; set; } = 60;
}

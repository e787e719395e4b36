using System.ComponentModel.DataAnnotations;

namespace HttpServer.Shutdown;

/// <summary>Graceful shutdown timing (section <c>Shutdown</c>).</summary>
/// <remarks>Settable properties: the configuration binder generated for the native build does not set init-only ones
/// (dotnet/runtime#107856), and would leave every setting at its default without a word.</remarks>
public sealed record ShutdownOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Shutdown";

    /// <summary>How long to keep serving after readiness fails, so Kubernetes and the mesh stop sending (default 5).</summary>
    [Range(0.0, 300.0, ErrorMessage = "Shutdown:DrainDelaySeconds must be between {1} and {2} seconds.")]
    public double DrainDelaySeconds { get; set; } = 5;

    /// <summary>The whole shutdown budget: drain delay plus finishing in-flight requests (default 25, under Kubernetes' 30).</summary>
    [Range(1.0, 3600.0, ErrorMessage = "Shutdown:GracePeriodSeconds must be between {1} and {2} seconds.")]
    public double GracePeriodSeconds { get; set; } = 25;
}

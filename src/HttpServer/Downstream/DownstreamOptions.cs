using System.ComponentModel.DataAnnotations;

namespace HttpServer.Downstream;

/// <summary>The next service in the call chain (section <c>Downstream</c>).</summary>
/// <remarks>Settable properties: the configuration binder generated for the native build does not set init-only ones
/// (dotnet/runtime#107856), and would leave every setting at its default without a word.</remarks>
public sealed record DownstreamOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Downstream";

    /// <summary>Base URL of the next service (e.g. <c>http://service1:8080</c>); <c>/hello</c> calls its <c>/hello</c>. Unset: no call.</summary>
    public Uri? Url { get; set; }

    /// <summary>How long the downstream call may take before <c>/hello</c> answers 502 (default 10).</summary>
    [Range(0.001, 300.0, ErrorMessage = "Downstream:TimeoutSeconds must be between {1} and {2} seconds.")]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>The URL called: <see cref="Url"/> with <c>/hello</c> appended to its path.</summary>
    public Uri? HelloUrl => Url is null ? null : new Uri(Url.AbsoluteUri.TrimEnd('/') + "/hello");
}

using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace HttpServer.Downstream;

/// <summary>The next service in the call chain (section <c>Downstream</c>).</summary>
public sealed record DownstreamOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Downstream";

    /// <summary>Base URL of the next service (e.g. <c>http://service1:8080</c>); <c>/hello</c> calls its <c>/hello</c>. Unset: no call.</summary>
    public Uri? Url { get; init; }

    /// <summary>How long the downstream call may take before <c>/hello</c> answers 502 (default 10).</summary>
    [Range(0.001, 300.0, ErrorMessage = "Downstream:TimeoutSeconds must be between {1} and {2} seconds.")]
    public double TimeoutSeconds { get; init; } = 10;

    /// <summary>The URL called: <see cref="Url"/> with <c>/hello</c> appended to its path.</summary>
    public Uri? HelloUrl => Url is null ? null : new Uri(Url.AbsoluteUri.TrimEnd('/') + "/hello");
}

/// <summary>Checks the <see cref="DownstreamOptions"/> attributes with code generated at compile time (no reflection: the native build).</summary>
[OptionsValidator]
internal sealed partial class DownstreamOptionsValidator : IValidateOptions<DownstreamOptions>;

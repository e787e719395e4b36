using HttpServer.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace HttpServer.Headers;

/// <summary>Registers the response-header rules.</summary>
public static class ResponseHeadersExtensions
{
    /// <summary>Reads <c>VERSION</c> once at start and refuses a value that cannot be sent as a header.</summary>
    public static WebApplicationBuilder AddResponseHeaders(this WebApplicationBuilder builder)
    {
        var version = VersionInfo.From(builder.Configuration);
        if (version.Version.Any(c => c is < ' ' or > '~'))
        {
            throw new OptionsValidationException("VERSION", typeof(VersionInfo),
                [$"VERSION must be printable ASCII (it is sent as the Version response header); got '{version.Version}'."]);
        }

        builder.Services.AddSingleton(version);
        return builder;
    }

    /// <summary>Adds <see cref="ResponseHeadersMiddleware"/>.</summary>
    public static WebApplication UseResponseHeaders(this WebApplication app)
    {
        app.UseMiddleware<ResponseHeadersMiddleware>();
        return app;
    }
}

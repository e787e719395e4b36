using HttpServer.ServiceDefaults;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace HttpServer.Downstream;

/// <summary>Registers the downstream call.</summary>
public static class DownstreamExtensions
{
    /// <summary>Binds <c>Downstream</c> and adds the typed <see cref="DownstreamClient"/>.</summary>
    public static WebApplicationBuilder AddDownstream(this WebApplicationBuilder builder)
    {
        // The attributes first, then the rules written here (the order ValidateDataAnnotations() had).
        builder.Services.AddSingleton<IValidateOptions<DownstreamOptions>, AnnotationsValidator<DownstreamOptions>>();
        builder.Services.AddOptions<DownstreamOptions>()
            .BindConfiguration(DownstreamOptions.Section)
            .Validate(
                o => o.Url is null || (o.Url.IsAbsoluteUri && (o.Url.Scheme == Uri.UriSchemeHttp || o.Url.Scheme == Uri.UriSchemeHttps)),
                "Downstream:Url must be an absolute http:// or https:// URL (e.g. http://service1:8080).")
            .ValidateOnStart();

        builder.Services.AddTransient<ForwardTraceHeadersHandler>();
        builder.Services.AddHttpClient<DownstreamClient>((sp, http) =>
                http.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<DownstreamOptions>>().Value.TimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // The OpenTelemetry instrumentation injects W3C and B3 with the process propagator; the runtime's own
                // header injection would add a second traceparent.
                ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .AddHttpMessageHandler<ForwardTraceHeadersHandler>()
            // The factory's per-request Information logs would sit on the hot path of /hello.
            .RemoveAllLoggers();
        return builder;
    }
}

using HttpServer.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace HttpServer.Shutdown;

/// <summary>Registers graceful shutdown.</summary>
public static class ShutdownExtensions
{
    /// <summary>Binds <c>Shutdown</c>, sets the host's shutdown timeout to the grace period and adds <see cref="GracefulShutdown"/>.</summary>
    public static WebApplicationBuilder AddGracefulShutdown(this WebApplicationBuilder builder)
    {
        // The attributes first, then the rules written here (the order ValidateDataAnnotations() had).
        builder.Services.AddSingleton<IValidateOptions<ShutdownOptions>, AnnotationsValidator<ShutdownOptions>>();
        builder.Services.AddOptions<ShutdownOptions>()
            .BindConfiguration(ShutdownOptions.Section)
            .Validate(
                o => o.DrainDelaySeconds < o.GracePeriodSeconds,
                "Shutdown:DrainDelaySeconds must be less than Shutdown:GracePeriodSeconds (the drain is part of the grace period).")
            .ValidateOnStart();

        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
                host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.GracePeriodSeconds));

        builder.Services.AddHostedService<GracefulShutdown>();
        return builder;
    }
}

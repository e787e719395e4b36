using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HttpServer.AccessLog;

/// <summary>Registers the access log.</summary>
public static class AccessLogExtensions
{
    /// <summary>Binds <c>AccessLog</c> and adds the background writer (stdout by default).</summary>
    public static WebApplicationBuilder AddAccessLog(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccessLogOptions>()
            .BindConfiguration(AccessLogOptions.Section)
            .Validate(o => Enum.IsDefined(o.Format), "AccessLog:Format must be Text, Json or Off.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        // TryAdd: a test may have registered its own output first.
        builder.Services.TryAddSingleton(_ => new AccessLogOutput
        {
            Writer = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false },
        });
        builder.Services.AddSingleton<AccessLogWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccessLogWriter>());
        return builder;
    }

    /// <summary>Adds <see cref="AccessLogMiddleware"/> first in the pipeline.</summary>
    public static WebApplication UseAccessLog(this WebApplication app)
    {
        app.UseMiddleware<AccessLogMiddleware>();
        return app;
    }
}

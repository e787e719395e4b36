using HttpServer.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace HttpServer.Hello;

/// <summary>The <c>/hello</c> endpoint.</summary>
public static class HelloApi
{
    /// <summary>Binds <c>Hello</c> and registers the handler.</summary>
    public static WebApplicationBuilder AddHello(this WebApplicationBuilder builder)
    {
        // The attributes first, then the rules written here (the order ValidateDataAnnotations() had).
        builder.Services.AddSingleton<IValidateOptions<HelloOptions>, AnnotationsValidator<HelloOptions>>();
        builder.Services.AddOptions<HelloOptions>()
            .BindConfiguration(HelloOptions.Section)
            .ValidateOnStart();
        builder.Services.AddSingleton<HelloHandler>();
        return builder;
    }

    /// <summary>Maps <c>GET /hello</c>.</summary>
    public static IEndpointRouteBuilder MapHelloApi(this IEndpointRouteBuilder endpoints)
    {
        // Resolved once here rather than bound per request: a service parameter makes minimal APIs open a DI scope
        // for every request, which profiling showed to be a tenth of what /hello allocated.
        var handler = endpoints.ServiceProvider.GetRequiredService<HelloHandler>();
        endpoints.MapGet("/hello", handler.HandleAsync).WithName("Hello");
        return endpoints;
    }
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace HttpServer.Hello;

/// <summary>The <c>/hello</c> endpoint.</summary>
public static class HelloApi
{
    /// <summary>Binds <c>Hello</c> and registers the handler.</summary>
    public static WebApplicationBuilder AddHello(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HelloOptions>()
            .BindConfiguration(HelloOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<HelloHandler>();
        return builder;
    }

    /// <summary>Maps <c>GET /hello</c>.</summary>
    public static IEndpointRouteBuilder MapHelloApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hello", HelloAsync).WithName("Hello");
        return endpoints;
    }

    private static Task<ContentHttpResult> HelloAsync(HelloHandler handler, CancellationToken cancellationToken) =>
        handler.HandleAsync(cancellationToken);
}

using HttpServer.ServiceDefaults;

namespace HttpServer.Headers;

/// <summary>Copies the request's headers into the response and sets <c>Version</c>, just before the response starts.</summary>
/// <remarks>
/// Done in <c>OnStarting</c> so the headers are in place before the first body byte whatever the endpoint does,
/// and so that error responses (which clear headers) still carry them. Headers the endpoint set itself win.
/// </remarks>
public sealed class ResponseHeadersMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Func<object, Task> _applyOnStarting;

    /// <summary>Creates the middleware for the service's <paramref name="version"/>.</summary>
    public ResponseHeadersMiddleware(RequestDelegate next, VersionInfo version)
    {
        ArgumentNullException.ThrowIfNull(version);
        _next = next;
        var versionValue = version.Version;
        // One callback for the middleware's lifetime, taking the context as its state: no closure or boxed tuple per request.
        _applyOnStarting = state =>
        {
            var httpContext = (HttpContext)state;
            Apply(httpContext.Request.Headers, httpContext.Response.Headers, versionValue);
            return Task.CompletedTask;
        };
    }

    /// <summary>Registers the header copy and calls the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(_applyOnStarting, context);
        return _next(context);
    }

    /// <summary>Copies every copyable request header that the response does not already have, then sets <c>Version</c>.</summary>
    internal static void Apply(IHeaderDictionary request, IHeaderDictionary response, string version)
    {
        foreach (var (name, value) in request)
        {
            if (HeaderRules.IsCopyable(name) && !response.ContainsKey(name))
            {
                response[name] = value;
            }
        }

        response[HeaderRules.VersionHeader] = version;
    }
}

using System.Diagnostics;

namespace HttpServer.AccessLog;

/// <summary>Records one access-log entry per request, outermost in the pipeline so it sees the final status and time.</summary>
public sealed class AccessLogMiddleware(RequestDelegate next, AccessLogWriter writer, TimeProvider time)
{
    /// <summary>Times the request and queues its entry.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!writer.Enabled)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var started = time.GetTimestamp();
        var arrived = time.GetUtcNow();
        // The request's activity (created by hosting, possibly replaced by the tracing instrumentation) is current here.
        var traceId = Activity.Current?.TraceId.ToHexString();
        var status = 500;
        try
        {
            await next(context).ConfigureAwait(false);
            status = context.Response.StatusCode;
        }
        finally
        {
            if (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                status = 499;
            }

            writer.Write(new AccessLogEntry
            {
                Time = arrived,
                ClientIp = ClientIpResolver.Resolve(context),
                Method = context.Request.Method,
                Path = context.Request.Path.ToUriComponent(),
                Status = status,
                DurationMs = time.GetElapsedTime(started).TotalMilliseconds,
                TraceId = traceId,
            });
        }
    }
}

using System.Diagnostics;
using System.Text;
using HttpServer.Downstream;
using HttpServer.ServiceDefaults;
using Microsoft.Extensions.Options;
using Prometheus;

namespace HttpServer.Hello;

/// <summary>Answers <c>/hello</c>: optional random delay, optional downstream call, latency recorded in the histogram.</summary>
/// <remarks>
/// A singleton that writes the response itself: the answer is constant, so its bytes are encoded once, and the
/// downstream client (a typed HttpClient, created per resolution) is only resolved when a downstream is configured.
/// </remarks>
public sealed class HelloHandler
{
    /// <summary>The exact body the user's checks expect.</summary>
    public const string Body = "hello.";

    private const string PlainText = "text/plain";
    private static readonly byte[] BodyBytes = Encoding.UTF8.GetBytes(Body);

    private readonly IOptions<HelloOptions> _options;
    private readonly IOptions<DownstreamOptions> _downstream;
    private readonly IServiceProvider _services;
    private readonly Histogram.Child _totalLatency;

    /// <summary>Creates the handler.</summary>
    public HelloHandler(IOptions<HelloOptions> options, IOptions<DownstreamOptions> downstream, IServiceProvider services, PrometheusMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options;
        _downstream = downstream;
        _services = services;
        // The labelled child is looked up once, not per request.
        _totalLatency = metrics.ExecutionLatency.WithLabels("total");
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var cancellationToken = context.RequestAborted;
            var maxDelay = _options.Value.MaxDelayMs;
            if (maxDelay > 0)
            {
                await Task.Delay(Random.Shared.Next(0, maxDelay + 1), cancellationToken).ConfigureAwait(false);
            }

            if (_downstream.Value.HelloUrl is { } url)
            {
                var client = context.RequestServices.GetRequiredService<DownstreamClient>();
                var failure = await client.CallAsync(url, context.Request.Headers, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    await WriteAsync(context.Response, StatusCodes.Status502BadGateway,
                        Encoding.UTF8.GetBytes($"downstream {url} failed: {failure}")).ConfigureAwait(false);
                    return;
                }
            }

            await WriteAsync(context.Response, StatusCodes.Status200OK, BodyBytes).ConfigureAwait(false);
        }
        finally
        {
            _totalLatency.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    // Not tied to RequestAborted, as the typed result this replaces: a client gone mid-write is Kestrel's to handle.
    private static ValueTask WriteAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = PlainText;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body);
    }
}

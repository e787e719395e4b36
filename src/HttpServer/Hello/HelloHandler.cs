using System.Diagnostics;
using HttpServer.Downstream;
using HttpServer.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HttpServer.Hello;

/// <summary>Answers <c>/hello</c>: optional random delay, optional downstream call, latency recorded in the histogram.</summary>
public sealed class HelloHandler(
    IOptions<HelloOptions> options,
    IOptions<DownstreamOptions> downstream,
    DownstreamClient client,
    PrometheusMetrics metrics)
{
    /// <summary>The exact body the user's checks expect.</summary>
    public const string Body = "hello.";

    /// <summary>Handles one request.</summary>
    public async Task<ContentHttpResult> HandleAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var maxDelay = options.Value.MaxDelayMs;
            if (maxDelay > 0)
            {
                await Task.Delay(Random.Shared.Next(0, maxDelay + 1), cancellationToken).ConfigureAwait(false);
            }

            if (downstream.Value.HelloUrl is { } url)
            {
                var failure = await client.CallAsync(url, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return TypedResults.Text($"downstream {url} failed: {failure}", "text/plain", statusCode: StatusCodes.Status502BadGateway);
                }
            }

            return TypedResults.Text(Body, "text/plain");
        }
        finally
        {
            metrics.ExecutionLatency.WithLabels("total").Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}

namespace HttpServer.Downstream;

/// <summary>Calls the next service's <c>/hello</c>.</summary>
public sealed partial class DownstreamClient(HttpClient http, ILogger<DownstreamClient> logger)
{
    /// <summary>Calls <paramref name="url"/>; returns null on success, else a short reason (<c>status 503</c>, <c>unreachable</c>, <c>timed out</c>).</summary>
    public async Task<string?> CallAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            var reason = $"status {(int)response.StatusCode}";
            LogFailed(logger, url, reason);
            return reason;
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, url, ex.Message);
            return "unreachable";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, not the caller going away.
            LogFailed(logger, url, "timed out");
            return "timed out";
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Downstream {Url} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Uri url, string reason);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Downstream {Url} unreachable: {Error}")]
    private static partial void LogUnreachable(ILogger logger, Uri url, string error);
}

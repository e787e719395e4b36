namespace HttpServer.Downstream;

/// <summary>Calls the next service's <c>/hello</c>.</summary>
public sealed partial class DownstreamClient(HttpClient http, ILogger<DownstreamClient> logger)
{
    /// <summary>The request option carrying the incoming request's headers to <see cref="ForwardTraceHeadersHandler"/>.</summary>
    /// <remarks>
    /// Passed with the call instead of through IHttpContextAccessor, whose AsyncLocal write on every request (the
    /// accessor is set for each request once registered) cost every request, not only those that call downstream.
    /// </remarks>
    public static readonly HttpRequestOptionsKey<IHeaderDictionary> IncomingHeaders = new("httpserver.incoming-headers");

    /// <summary>Calls <paramref name="url"/>; returns null on success, else a short reason (<c>status 503</c>, <c>unreachable</c>, <c>timed out</c>).</summary>
    public async Task<string?> CallAsync(Uri url, IHeaderDictionary? incomingHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (incomingHeaders is not null)
        {
            request.Options.Set(IncomingHeaders, incomingHeaders);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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

namespace HttpServer.Downstream;

/// <summary>Copies <see cref="TraceHeaders.CopiedAsIs"/> from the request being served onto the outgoing call.</summary>
public sealed class ForwardTraceHeadersHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var incoming = accessor.HttpContext?.Request.Headers;
        if (incoming is not null)
        {
            foreach (var name in TraceHeaders.CopiedAsIs)
            {
                if (incoming.TryGetValue(name, out var values) && !request.Headers.Contains(name))
                {
                    request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}

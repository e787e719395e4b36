namespace HttpServer.Downstream;

/// <summary>Copies <see cref="TraceHeaders.CopiedAsIs"/> from the request being served onto the outgoing call.</summary>
/// <remarks>The incoming headers travel with the call as <see cref="DownstreamClient.IncomingHeaders"/>.</remarks>
public sealed class ForwardTraceHeadersHandler : DelegatingHandler
{
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(DownstreamClient.IncomingHeaders, out var incoming))
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

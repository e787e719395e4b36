using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Upstreams;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Ingress.LocalGateway.Runtime.Forwarding;

/// <summary>
/// Envoy's request mirroring (shadowing): a copy of the upstream request, with <c>-shadow</c> appended to its host, sent
/// fire-and-forget to the mirror cluster for the configured share of requests. Its response is read and dropped;
/// nothing about it can delay or fail the main request.
/// </summary>
public sealed partial class RequestMirror
{
    // Envoy bounds a shadow by the route timeout; with none, this only stops a mirror that never answers from
    // holding a connection for the life of the process.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Host, HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.TE, HeaderNames.Trailer,
        HeaderNames.TransferEncoding, HeaderNames.Upgrade, HeaderNames.ProxyAuthorization, "Proxy-Connection",
        HeaderNames.ContentLength, "x-envoy-attempt-count",
    };

    private readonly ILogger _logger;

    public RequestMirror(ILogger<RequestMirror> logger) => _logger = logger;

    /// <summary>Sends the copies due for this request; returns at once.</summary>
    public void Send(GatewayRequest request, IReadOnlyList<MirrorPolicy> mirrors, ReplayableBody body, TimeSpan? routeTimeout)
    {
        foreach (var mirror in mirrors)
        {
            if (mirror.Destination.Cluster is not { } compiled || !mirror.Fraction.Draw())
            {
                continue;
            }

            var cluster = request.Serving.For(compiled);
            var endpoint = cluster.Pick(null);
            if (endpoint is null)
            {
                continue;
            }

            var message = Build(request, endpoint.Prefix, body);
            _ = SendAsync(cluster, message, routeTimeout ?? Limit);
        }
    }

    /// <summary>Envoy's shadow host: <c>-shadow</c> appended to the host, before any port.</summary>
    public static string ShadowHost(string authority)
    {
        var portStart = authority.LastIndexOf(':');
        if (portStart < 0 || authority.EndsWith(']') || (authority.StartsWith('[') && portStart < authority.IndexOf(']', StringComparison.Ordinal)))
        {
            return authority + "-shadow";
        }

        return string.Concat(authority.AsSpan(0, portStart), "-shadow", authority.AsSpan(portStart));
    }

    private static HttpRequestMessage Build(GatewayRequest request, string prefix, ReplayableBody body)
    {
        var http = request.Http;
        var message = new HttpRequestMessage(new HttpMethod(request.Method),
            new Uri(prefix.TrimEnd('/') + request.UpstreamPathAndQuery, GatewayTransformer.UpstreamUri))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (body.HasBody)
        {
            message.Content = new ReadOnlyMemoryContent(body.Bytes);
        }

        foreach (var (name, values) in http.Request.Headers)
        {
            if (NotCopied.Contains(name) || name.StartsWith(':'))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && message.Content is not null)
            {
                message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        message.Headers.Host = ShadowHost(request.UpstreamAuthority);
        message.Headers.TryAddWithoutValidation("x-envoy-attempt-count", "1");
        if (message.Content is not null)
        {
            message.Content.Headers.ContentLength = body.Bytes.Length;
        }

        return message;
    }

    private async Task SendAsync(ClusterRuntime cluster, HttpRequestMessage message, TimeSpan limit)
    {
        // Off the request's path: the caller never awaits this.
        await Task.Yield();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            using var response = await cluster.Client.SendAsync(message, cancel.Token).ConfigureAwait(false);
            await response.Content.CopyToAsync(Stream.Null, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            LogMirrorFailed(_logger, cluster.Name, e.Message);
        }
        finally
        {
            message.Dispose();
        }
    }

    [LoggerMessage(EventId = LogEvents.MirrorFailed, Level = LogLevel.Debug, Message = "Mirror request to {Cluster} failed: {Reason}")]
    private static partial void LogMirrorFailed(ILogger logger, string cluster, string reason);
}

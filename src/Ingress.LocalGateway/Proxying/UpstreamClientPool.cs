using System.Collections.Concurrent;
using System.Net;

namespace Ingress.LocalGateway.Proxying;

/// <summary>
/// One pooled <see cref="HttpMessageInvoker"/> per cluster, kept across reloads so connections are reused. Settings
/// follow Envoy: no proxy, no redirects followed, no cookies, no decompression.
/// </summary>
public sealed class UpstreamClientPool : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _clients = new(StringComparer.Ordinal);

    /// <summary>The client for a cluster key, created on first use.</summary>
    public HttpMessageInvoker Get(string clusterKey) => _clients.GetOrAdd(clusterKey, static _ => Create());

    /// <summary>The client for a cluster key made by <paramref name="create"/> on first use (a cluster with its own TLS settings).</summary>
    public HttpMessageInvoker Get(string clusterKey, Func<HttpMessageInvoker> create) =>
        _clients.GetOrAdd(clusterKey, _ => create());

    /// <summary>Number of clients currently pooled.</summary>
    public int Count => _clients.Count;

    private static HttpMessageInvoker Create()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromHours(1),
            ActivityHeadersPropagator = null,
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
    }
}

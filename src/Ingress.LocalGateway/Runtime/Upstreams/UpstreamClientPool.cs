using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Runtime.Upstreams;

/// <summary>
/// The running state of every cluster (<see cref="ClusterRuntime"/>: pooled client, balancer, outlier detection,
/// circuit breakers), kept across reloads while a cluster's endpoints and policy stay the same. Clients follow Envoy:
/// no proxy, no redirects followed, no cookies, no decompression; TLS toward an endpoint is originated in the connect
/// step, with the options a <see cref="IUpstreamTlsProvider"/> makes per cluster (DestinationRule SIMPLE and MUTUAL).
/// A cluster reached with the mesh's mutual TLS gets the mesh's client, with the proxy's <see cref="MeshIdentity"/>.
/// </summary>
public sealed class UpstreamClientPool : IDisposable
{
    // By cluster name and Cluster.StateKey: a compile that is refused or not yet swapped in must not take the
    // running snapshot's state away, so every runtime stays until a swapped-in snapshot no longer uses it.
    private readonly Dictionary<(string Name, string Key), ClusterRuntime> _runtimes = [];
    private readonly List<ClusterRuntime> _retired = [];
    private readonly Lock _lock = new();
    private readonly IUpstreamTlsProvider _tls;
    private readonly TimeProvider _time;
    private readonly MeshIdentity? _mesh;

    /// <summary>
    /// A pool; <paramref name="tls"/> makes the SIMPLE/MUTUAL client options (<see cref="StandardUpstreamTlsProvider"/>
    /// unless given); <paramref name="mesh"/> is the proxy's identity for clusters reached with Istio mutual TLS.
    /// </summary>
    public UpstreamClientPool(TimeProvider? time = null, IUpstreamTlsProvider? tls = null, MeshIdentity? mesh = null)
    {
        _time = time ?? TimeProvider.System;
        _tls = tls ?? new StandardUpstreamTlsProvider();
        _mesh = mesh;
    }

    /// <summary>Number of clusters currently running.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _runtimes.Count;
            }
        }
    }

    /// <summary>
    /// The running state for each cluster of a snapshot, by <see cref="Cluster.Index"/>: the existing one where a
    /// cluster of that name was compiled with the same <see cref="Cluster.StateKey"/> (its ejections and counters carry
    /// on), else a new one.
    /// </summary>
    public ClusterRuntime[] Activate(IReadOnlyList<Cluster> clusters)
    {
        var runtimes = new ClusterRuntime[clusters.Count];
        foreach (var cluster in clusters)
        {
            runtimes[cluster.Index] = Get(cluster);
        }

        return runtimes;
    }

    /// <summary>The running state for one compiled cluster (see <see cref="Activate"/>).</summary>
    public ClusterRuntime Get(Cluster cluster)
    {
        var key = (cluster.Name, cluster.StateKey);
        lock (_lock)
        {
            if (!_runtimes.TryGetValue(key, out var runtime))
            {
                runtime = new ClusterRuntime(cluster, CreateClient(cluster), _time);
                _runtimes[key] = runtime;
            }

            return runtime;
        }
    }

    /// <summary>
    /// Once a snapshot is swapped in: retires every runtime it does not use, and disposes the ones retired by an
    /// earlier swap that have nothing in flight (a request of the old snapshot may still be starting right after a swap).
    /// </summary>
    public void Sweep(IEnumerable<ClusterRuntime> live)
    {
        var used = live.ToHashSet();
        lock (_lock)
        {
            for (var i = _retired.Count - 1; i >= 0; i--)
            {
                if (_retired[i].InFlight == 0)
                {
                    _retired[i].Dispose();
                    _retired.RemoveAt(i);
                }
            }

            foreach (var (key, runtime) in _runtimes.Where(r => !used.Contains(r.Value)).ToList())
            {
                runtime.Retire();
                _retired.Add(runtime);
                _runtimes.Remove(key);
            }
        }
    }

    private HttpMessageInvoker CreateClient(Cluster cluster)
    {
        if (cluster.MeshTls is { } subjectAltNames)
        {
            // The compiler marks a cluster for mesh TLS only when the proxy has a mesh identity.
            return (_mesh ?? throw new InvalidOperationException($"cluster {cluster.Name} needs the mesh identity (--mesh-ca)"))
                .CreateClient(subjectAltNames);
        }

        var (clusterName, serviceHost, servicePort, policy) = (cluster.Name, cluster.Host, cluster.Port, cluster.Policy);
        var limits = policy.Limits;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = limits.ConnectTimeout,
            PooledConnectionIdleTimeout = limits.IdleTimeout,
            PooledConnectionLifetime = limits.MaxConnectionDuration ?? Timeout.InfiniteTimeSpan,
            MaxConnectionsPerServer = limits.MaxConnections >= int.MaxValue ? int.MaxValue : (int)Math.Max(1, limits.MaxConnections),
            ActivityHeadersPropagator = null,
        };
        var tls = policy.Tls is { } settings ? (settings, provider: _tls) : default;
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var stream = new NetworkStream(socket, ownsSocket: true);
            if (tls.provider is null)
            {
                return stream;
            }

            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                var options = tls.provider.Create(new UpstreamTlsContext
                {
                    ClusterName = clusterName,
                    ServiceHost = serviceHost,
                    ServicePort = servicePort,
                    Settings = tls.settings,
                    RequestHost = HostWithoutPort(context.InitialRequestMessage.Headers.Host) ?? context.DnsEndPoint.Host,
                });
                await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
                return ssl;
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        };
        HttpMessageHandler outer = limits.MaxRequestsPerConnection == 1 ? new CloseAfterRequestHandler(handler) : handler;
        return new HttpMessageInvoker(outer, disposeHandler: true);
    }

    private static string? HostWithoutPort(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? host[1..end] : host;
        }

        var colon = host.LastIndexOf(':');
        return colon > 0 ? host[..colon] : host;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var runtime in _runtimes.Values.Concat(_retired))
            {
                runtime.Dispose();
            }

            _runtimes.Clear();
            _retired.Clear();
        }
    }

    /// <summary>
    /// <c>maxRequestsPerConnection: 1</c>: every upstream connection carries one request, so the request asks the
    /// endpoint to close it (SocketsHttpHandler then never reuses it).
    /// </summary>
    private sealed class CloseAfterRequestHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.ConnectionClose = true;
            return base.SendAsync(request, cancellationToken);
        }
    }
}

using System.Net;
using Ingress.Config.Diagnostics;
using Ingress.Config.GatewayApi;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Security;
using Ingress.LocalGateway.Snapshot.Tls;
using Ingress.LocalGateway.Snapshot.Tracing;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Snapshot;

/// <summary>
/// Everything the gateway serves, compiled from one ConfigSet: listeners, route tables, TLS setups, clusters and the
/// gateway workload's security, with the findings of the compile. Immutable data (no sockets, clients or caches: the
/// runtime keeps those); a reload builds a new one and swaps it in whole.
/// </summary>
public sealed class GatewaySnapshot
{
    private IReadOnlyDictionary<string, Cluster>? _clusters;

    /// <summary>An empty snapshot: nothing listens, nothing routes.</summary>
    public static GatewaySnapshot Empty { get; } = new()
    {
        Listeners = new Dictionary<int, ListenerConfig>(),
        ClusterList = [],
        Diagnostics = [],
        Version = 0,
    };

    /// <summary>By Gateway port number.</summary>
    public required IReadOnlyDictionary<int, ListenerConfig> Listeners { get; init; }

    /// <summary>Every cluster a route refers to, by <see cref="Cluster.Index"/>.</summary>
    public required IReadOnlyList<Cluster> ClusterList { get; init; }

    /// <summary>The clusters by name (<c>outbound|80||host</c>).</summary>
    public IReadOnlyDictionary<string, Cluster> Clusters => _clusters ??= ClusterList.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>
    /// The gateway workload's RequestAuthentications and AuthorizationPolicies, compiled with the routes so a request
    /// is authenticated and authorized by the same config version it is routed by.
    /// </summary>
    public WorkloadSecurity Security { get; init; } = WorkloadSecurity.None;

    /// <summary>The gateway's own findings (unsupported fields, missing credentials, listener conflicts).</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>Increases with every snapshot swapped in.</summary>
    public long Version { get; init; }

    /// <summary>When it was compiled.</summary>
    public DateTimeOffset LoadedAt { get; init; }

    /// <summary>The gateway's tracing settings from the Telemetry resources that select it.</summary>
    public TracingPolicy Tracing { get; init; } = TracingPolicy.Default;

    /// <summary>Trace sampling percentage from the Telemetry resources (100 when none sets it).</summary>
    public double SamplingPercentage { get; init; } = 100;

    /// <summary>The Gateway API objects as resolved: what was served from them, and their status conditions.</summary>
    public GatewayApiState GatewayApi { get; init; } = GatewayApiState.Empty;

    /// <summary>How request paths are normalized before routing and policies (MeshConfig <c>pathNormalization</c>).</summary>
    public PathNormalization PathNormalization { get; init; } = PathNormalization.Base;
}

/// <summary>The kind of listener a Gateway port becomes.</summary>
public enum ListenerProtocol
{
    Http,
    Https,
}

/// <summary>One Gateway port: where it listens, its protocol, and its route table(s).</summary>
public sealed class ListenerConfig
{
    /// <summary>The Gateway port number (what <c>match.port</c> and <c>derivePort</c> use).</summary>
    public required int Port { get; init; }

    /// <summary>Where it listens locally.</summary>
    public required IPEndPoint Address { get; init; }

    public required ListenerProtocol Protocol { get; init; }

    /// <summary>The route table of a plaintext port (all HTTP servers merged), else null.</summary>
    public RouteTable? HttpRoutes { get; init; }

    /// <summary>The servers of an HTTPS port, each with its own TLS setup and route table.</summary>
    public IReadOnlyList<TlsServer> TlsServers { get; init; } = [];

    /// <summary>Selects the HTTPS server by SNI: exact host, then longest wildcard, then a <c>*</c> server.</summary>
    public TlsServer? SelectServer(string? sni) => SelectServer(sni, out _);

    /// <summary>Selects the HTTPS server by SNI, and gives the server host that matched it.</summary>
    public TlsServer? SelectServer(string? sni, out string? matchedHost)
    {
        TlsServer? best = null;
        matchedHost = null;
        var bestRank = -1;
        foreach (var server in TlsServers)
        {
            foreach (var host in server.Hosts)
            {
                int rank;
                if (host == "*")
                {
                    rank = 0;
                }
                else if (string.IsNullOrEmpty(sni))
                {
                    continue;
                }
                else if (host.StartsWith('*'))
                {
                    rank = HostNames.MatchesPattern(sni, host) ? host.Length : -1;
                }
                else
                {
                    rank = string.Equals(sni, host, StringComparison.OrdinalIgnoreCase) ? int.MaxValue : -1;
                }

                if (rank > bestRank)
                {
                    best = server;
                    matchedHost = host;
                    bestRank = rank;
                }
            }
        }

        return best;
    }

    /// <summary>
    /// The TLS handshake of a connection to this HTTPS port: the server chosen by the SNI, whose credential is
    /// presented, or why the handshake is refused (no server matches the SNI, or its credential is unusable).
    /// </summary>
    public TlsChoice ChooseTls(string? sni)
    {
        var server = SelectServer(string.IsNullOrEmpty(sni) ? null : sni, out var host);
        if (server is null)
        {
            return new TlsChoice(null, null, $"no Gateway server on port {Port} matches SNI '{sni}'");
        }

        return server.Tls.Options is null
            ? new TlsChoice(server, host, server.Tls.Failure ?? $"the credential {server.Tls.CredentialSource} is unusable")
            : new TlsChoice(server, host, null);
    }
}

/// <summary>The outcome of choosing the TLS server of a handshake.</summary>
/// <param name="Server">The server whose hosts matched the SNI, or null.</param>
/// <param name="MatchedHost">The server host that matched (<c>*</c>, <c>*.suffix</c> or the name), or null.</param>
/// <param name="Refusal">Why the handshake fails, or null when the server's certificate is presented.</param>
public sealed record TlsChoice(TlsServer? Server, string? MatchedHost, string? Refusal);

/// <summary>One HTTPS Gateway server: the SNI names it answers, its TLS setup and its own route table.</summary>
public sealed class TlsServer
{
    /// <summary>Server hosts without namespace prefix; <c>*</c> means no SNI restriction.</summary>
    public required IReadOnlyList<string> Hosts { get; init; }

    public required ServerTlsContext Tls { get; init; }
    public required RouteTable Routes { get; init; }

    /// <summary>The Gateway (<c>ns/name</c>) and server index it came from.</summary>
    public required string Source { get; init; }
}

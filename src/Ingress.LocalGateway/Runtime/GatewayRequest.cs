using System.Diagnostics;
using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Runtime.Security;
using Ingress.LocalGateway.Runtime.Tracing;
using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Ingress.LocalGateway.Snapshot.Upstreams;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// What the gateway knows about one request as it goes through the stages: where it came in, the route it took, the
/// upstream it went to, and what the access log and metrics report (response flags and details).
/// </summary>
public sealed class GatewayRequest : IRoutedRequest
{
    /// <param name="http">The request as Kestrel received it, already canonicalized in place.</param>
    /// <param name="serving">The snapshot current when it arrived.</param>
    /// <param name="listener">The listener of the Gateway port it arrived on.</param>
    /// <param name="target">Its target after normalization (<see cref="RequestCanonicalizer"/>).</param>
    public GatewayRequest(HttpContext http, ServingSnapshot serving, ListenerConfig listener, CanonicalTarget target)
    {
        Http = http;
        Serving = serving;
        Listener = listener;
        StartTimestamp = Stopwatch.GetTimestamp();
        StartTime = DateTimeOffset.UtcNow;
        Scheme = listener.Protocol == ListenerProtocol.Https ? "https" : "http";
        Method = http.Request.Method;
        Authority = http.Request.Headers.Host.ToString();
        PathAndQuery = target.PathAndQuery;
        Path = target.Path;
        Query = target.Query;
        ReceivedTarget = target.Received;
    }

    public HttpContext Http { get; }

    /// <summary>The snapshot (and its running state) this request is served by, read once when it arrived.</summary>
    public ServingSnapshot Serving { get; }

    /// <summary>The compiled snapshot this request is served by (reloads do not affect it).</summary>
    public GatewaySnapshot Snapshot => Serving.Snapshot;

    public ListenerConfig Listener { get; }
    public long StartTimestamp { get; }
    public DateTimeOffset StartTime { get; }

    /// <summary><c>http</c> or <c>https</c>: the scheme of the connection (x-forwarded-proto, <c>match.scheme</c>).</summary>
    public string Scheme { get; }

    /// <summary>The method (upper case: anything else was refused).</summary>
    public string Method { get; }

    /// <summary>The Host header as the client sent it (port kept).</summary>
    public string Authority { get; }

    /// <summary>The normalized path without query: what uri matches, policies and rewrites see.</summary>
    public string Path { get; }

    /// <summary>The query as received, without <c>?</c>.</summary>
    public string Query { get; }

    /// <summary>
    /// The normalized path with the query: what is forwarded when no rewrite applies, and what the access log prints
    /// (<c>%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%</c>).
    /// </summary>
    public string PathAndQuery { get; }

    /// <summary>The target exactly as the client sent it, before normalization. For diagnostics only.</summary>
    public string ReceivedTarget { get; }

    /// <summary>The request headers (the stages before forwarding add, set and remove some).</summary>
    public IHeaderDictionary Headers => Http.Request.Headers;

    /// <summary>The JWT the security stage verified, or null.</summary>
    public VerifiedJwt? Jwt { get; set; }

    /// <summary>What the security stage decided (JWT and authorization), or null when the workload has no policy.</summary>
    public SecurityOutcome? SecurityVerdict { get; set; }

    /// <summary>The SNI the client sent, or null.</summary>
    public string? ServerName { get; set; }

    public TlsServer? Server { get; set; }
    public VirtualHost? VirtualHost { get; set; }
    public RouteEntry? Route { get; set; }
    public WeightedDestination? Destination { get; set; }
    public EndpointDefinition? Endpoint { get; set; }

    /// <summary>The running state of the destination's cluster, or null when there is no cluster (503 NC).</summary>
    public ClusterRuntime? Upstream => Destination?.Cluster is { } cluster ? Serving.For(cluster) : null;

    /// <summary>The path and query sent upstream (after rewrites).</summary>
    public string UpstreamPathAndQuery { get; set; } = "";

    /// <summary>The Host sent upstream.</summary>
    public string UpstreamAuthority { get; set; } = "";

    public string RequestId { get; set; } = "";

    /// <summary>Envoy response flags (<c>NR</c>, <c>UH</c>, <c>UF</c>, …) or null for none.</summary>
    public string? ResponseFlags { get; set; }

    /// <summary>Adds a response flag, keeping Envoy's order (<c>DI,FI</c>, <c>UF,URX</c>, <c>UT,URX</c>).</summary>
    public void AddResponseFlag(string? flag) => ResponseFlags = ResponseFlagSet.Add(ResponseFlags, flag);

    /// <summary>The allowed Origin latched by the CORS stage (its response headers go on every reply), or null.</summary>
    public string? CorsOrigin { get; set; }

    /// <summary>The retry policy the current attempt's response is judged by, or null when it is not retried.</summary>
    public RetryPolicy? RetryPolicy { get; set; }

    /// <summary>Whether a retriable response of the current attempt may still be retried (retries are left).</summary>
    public bool RetriesLeft { get; set; }

    /// <summary>Set by the transformer when the attempt's response was retriable and was discarded for a retry.</summary>
    public bool RetryableResponse { get; set; }

    /// <summary>
    /// The cluster's retry slot (<c>connectionPool.http.maxRetries</c>) the transformer took for the retry it asked
    /// for; the retry loop holds it while that retry runs.
    /// </summary>
    public RetryLease? PendingRetry { get; set; }

    /// <summary>Envoy <c>%RESPONSE_CODE_DETAILS%</c>.</summary>
    public string? ResponseDetails { get; set; }

    /// <summary>The upstream attempt number (x-envoy-attempt-count).</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>When the upstream request was sent (Stopwatch timestamp), 0 before.</summary>
    public long UpstreamStartTimestamp { get; set; }

    /// <summary>Milliseconds until the upstream's response headers, or -1.</summary>
    public long UpstreamServiceTimeMs { get; set; } = -1;

    public long BytesReceived { get; set; }
    public long BytesSent { get; set; }

    /// <summary>The request's trace spans when tracing is on and the request is traced, else null.</summary>
    public RequestTrace? Trace { get; set; }

    /// <summary>The trace span name (the route's decorator, else <c>egress &lt;Host&gt;</c>).</summary>
    public string Operation => Route?.Operation ?? "egress " + Authority;
}

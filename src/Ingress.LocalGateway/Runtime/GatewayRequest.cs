using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Ingress.LocalGateway.Snapshot;
using Ingress.LocalGateway.Snapshot.Upstreams;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Policies;
using Ingress.LocalGateway.Runtime.Tracing;

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// What the gateway knows about one request as it goes through the stages: where it came in, the route it took, the
/// upstream it went to, and what the access log and metrics report (response flags and details).
/// </summary>
public sealed class GatewayRequest
{
    public GatewayRequest(HttpContext http, GatewaySnapshot snapshot, ListenerConfig listener)
    {
        Http = http;
        Snapshot = snapshot;
        Listener = listener;
        StartTimestamp = Stopwatch.GetTimestamp();
        StartTime = DateTimeOffset.UtcNow;
        Scheme = listener.Protocol == ListenerProtocol.Https ? "https" : "http";
        Authority = http.Request.Headers.Host.ToString();
        var target = RawTarget(http);
        OriginalPathAndQuery = target;
        var q = target.IndexOf('?', StringComparison.Ordinal);
        Path = q >= 0 ? target[..q] : target;
        Query = q >= 0 ? target[(q + 1)..] : "";
    }

    public HttpContext Http { get; }

    /// <summary>The snapshot this request is served by, read once when it arrived (reloads do not affect it).</summary>
    public GatewaySnapshot Snapshot { get; }

    public ListenerConfig Listener { get; }
    public long StartTimestamp { get; }
    public DateTimeOffset StartTime { get; }

    /// <summary><c>http</c> or <c>https</c>: the scheme of the connection (x-forwarded-proto, <c>match.scheme</c>).</summary>
    public string Scheme { get; }

    /// <summary>The Host header as the client sent it (port kept).</summary>
    public string Authority { get; set; }

    /// <summary>The path as sent, without query; what uri matches see.</summary>
    public string Path { get; }

    /// <summary>The raw query without <c>?</c>.</summary>
    public string Query { get; }

    /// <summary>The request target as received (<c>%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%</c>).</summary>
    public string OriginalPathAndQuery { get; }

    /// <summary>The SNI the client sent, or null.</summary>
    public string? ServerName { get; set; }

    public TlsServer? Server { get; set; }
    public VirtualHost? VirtualHost { get; set; }
    public RouteEntry? Route { get; set; }
    public WeightedDestination? Destination { get; set; }
    public EndpointDefinition? Endpoint { get; set; }

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

    private static string RawTarget(HttpContext http)
    {
        var raw = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            return raw;
        }

        // Absolute-form or missing raw target: rebuild from the decoded parts.
        return http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent();
    }
}

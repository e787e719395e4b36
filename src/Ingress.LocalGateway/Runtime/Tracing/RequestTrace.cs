using System.Diagnostics;
using System.Globalization;

namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// The spans of one request: the gateway's SERVER span and the CLIENT span of the current upstream attempt. Injects
/// the attempt's context upstream (B3 multi headers and <c>traceparent</c>) and sets Envoy's tags when each ends
/// (<c>http_tracer_impl.cc: finalizeDownstreamSpan</c>, <c>finalizeUpstreamSpan</c>, <c>setCommonTags</c>).
/// </summary>
public sealed class RequestTrace
{
    private const int MaxPathTagLength = 256;

    private static readonly string[] IncomingContextHeaders =
        ["b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags", "traceparent"];

    private readonly GatewayTracer _tracer;
    private Activity? _upstream;
    private int _upstreamStatus;
    private string? _upstreamProtocol;

    internal RequestTrace(GatewayTracer tracer, Activity server)
    {
        _tracer = tracer;
        Server = server;
    }

    /// <summary>The gateway's span for the request.</summary>
    public Activity Server { get; }

    /// <summary>The span of the latest upstream attempt, or null before the first.</summary>
    public Activity? Upstream => _upstream;

    /// <summary>
    /// Starts the span of an upstream attempt (ending the previous attempt's) and replaces the trace headers of the
    /// upstream request with its context: same trace id, the attempt's span id, the gateway span as parent.
    /// </summary>
    public void StartUpstreamAttempt(GatewayRequest request, HttpRequestMessage upstreamRequest)
    {
        EndUpstream(request);
        var cluster = request.Destination?.Cluster?.Name ?? "";
        GatewaySampler.Next(Server.Recorded);
        _upstream = GatewayTracer.Source.StartActivity("router " + cluster + " egress", ActivityKind.Client, Server.Context);
        _upstreamStatus = 0;
        _upstreamProtocol = null;
        if (_upstream is { IsAllDataRequested: true } upstream && request.Attempt > 1)
        {
            upstream.SetTag("retry.count", (request.Attempt - 1).ToString(CultureInfo.InvariantCulture));
        }

        if (request.Snapshot.Tracing.DisableContextPropagation)
        {
            return;
        }

        var headers = upstreamRequest.Headers;
        foreach (var name in IncomingContextHeaders)
        {
            headers.Remove(name);
        }

        var span = _upstream ?? Server;
        var traceId = span.TraceId.ToHexString();
        var sampled = span.Recorded;
        // A 64-bit B3 trace id stays 64-bit in the B3 headers, as Envoy keeps trace_id_high at zero.
        headers.TryAddWithoutValidation("x-b3-traceid", traceId.StartsWith("0000000000000000", StringComparison.Ordinal) ? traceId[16..] : traceId);
        headers.TryAddWithoutValidation("x-b3-spanid", span.SpanId.ToHexString());
        if (_upstream is not null)
        {
            headers.TryAddWithoutValidation("x-b3-parentspanid", Server.SpanId.ToHexString());
        }
        else if (Server.ParentSpanId != default)
        {
            headers.TryAddWithoutValidation("x-b3-parentspanid", Server.ParentSpanId.ToHexString());
        }

        headers.TryAddWithoutValidation("x-b3-sampled", sampled ? "1" : "0");
        headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{span.SpanId.ToHexString()}-{(sampled ? "01" : "00")}");
    }

    /// <summary>Notes the upstream's answer for the attempt's span.</summary>
    public void OnUpstreamResponse(HttpResponseMessage response)
    {
        _upstreamStatus = (int)response.StatusCode;
        _upstreamProtocol = "HTTP/" + response.Version.ToString(2);
    }

    /// <summary>Ends the spans with the request's outcome.</summary>
    public void Finish(GatewayRequest request)
    {
        EndUpstream(request);
        var server = Server;
        server.DisplayName = request.Operation;
        if (server.IsAllDataRequested)
        {
            SetServerTags(server, request);
        }

        server.Stop();
    }

    private void EndUpstream(GatewayRequest request)
    {
        var upstream = _upstream;
        if (upstream is null)
        {
            return;
        }

        _upstream = null;
        if (upstream.IsAllDataRequested)
        {
            upstream.SetTag("http.protocol", _upstreamProtocol ?? "-");
            if (request.Endpoint is not null)
            {
                upstream.SetTag("upstream_address", request.Endpoint.AddressText);
            }

            SetCommonTags(upstream, request, _upstreamStatus, _upstreamStatus == 0 ? request.ResponseFlags ?? "-" : "-");
        }

        upstream.Stop();
    }

    private void SetServerTags(Activity span, GatewayRequest request)
    {
        var http = request.Http;
        var headers = http.Request.Headers;
        var tags = _tracer.Tags;
        span.SetTag("node_id", tags.NodeId);
        span.SetTag("zone", "");
        span.SetTag("guid:x-request-id", request.RequestId);
        var path = request.PathAndQuery.Length > MaxPathTagLength ? request.PathAndQuery[..MaxPathTagLength] : request.PathAndQuery;
        var host = request.UpstreamAuthority.Length > 0 ? request.UpstreamAuthority : request.Authority;
        span.SetTag("http.url", request.Scheme + "://" + host + path);
        span.SetTag("http.method", http.Request.Method);
        span.SetTag("downstream_cluster", "-");
        var userAgent = headers.UserAgent.ToString();
        span.SetTag("user_agent", userAgent.Length > 0 ? userAgent : "-");
        span.SetTag("http.protocol", http.Request.Protocol);
        var peer = http.Connection.RemoteIpAddress;
        if (peer is not null)
        {
            span.SetTag("peer.address", (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString());
        }

        var clientTraceId = headers["x-client-trace-id"];
        if (clientTraceId.Count > 0)
        {
            span.SetTag("guid:x-client-trace-id", clientTraceId[0]);
        }

        var policy = request.Snapshot.Tracing;
        if (policy.IstioTags)
        {
            span.SetTag("istio.canonical_revision", tags.CanonicalRevision);
            span.SetTag("istio.canonical_service", tags.CanonicalService);
            span.SetTag("istio.cluster_id", IstioSpanTags.ClusterId);
            span.SetTag("istio.mesh_id", IstioSpanTags.MeshId);
            span.SetTag("istio.namespace", tags.Namespace);
        }

        foreach (var custom in policy.CustomTags)
        {
            if (custom.ValueFor(headers) is { } value)
            {
                span.SetTag(custom.Name, value);
            }
        }
        span.SetTag("request_size", request.BytesReceived.ToString(CultureInfo.InvariantCulture));
        span.SetTag("response_size", request.BytesSent.ToString(CultureInfo.InvariantCulture));
        var flags = request.ResponseFlags ?? (http.RequestAborted.IsCancellationRequested ? "DC" : "-");
        SetCommonTags(span, request, http.Response.StatusCode, flags);
    }

    private static void SetCommonTags(Activity span, GatewayRequest request, int status, string flags)
    {
        span.SetTag("component", "proxy");
        if (request.Endpoint is not null && request.Destination?.Cluster is { } cluster)
        {
            span.SetTag("upstream_cluster", cluster.Name);
            span.SetTag("upstream_cluster.name", cluster.Name);
        }

        span.SetTag("http.status_code", status.ToString(CultureInfo.InvariantCulture));
        span.SetTag("response_flags", flags);
        if (status is 0 or >= 500)
        {
            span.SetTag("error", "true");
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}

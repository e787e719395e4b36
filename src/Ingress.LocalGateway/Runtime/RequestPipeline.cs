using System.Diagnostics;
using Ingress.LocalGateway.Runtime.Edge;
using Ingress.LocalGateway.Runtime.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Runtime;

/// <summary>
/// Runs every request through the stages against the snapshot current when it arrived, then reports it to the
/// observers. A reload never changes the snapshot of a request in flight.
/// </summary>
public sealed partial class RequestPipeline
{
    private readonly SnapshotHolder _snapshots;
    private readonly IReadOnlyList<IRequestStage> _stages;
    private readonly IReadOnlyList<IRequestObserver> _observers;
    private readonly IstioMetrics? _metrics;
    private readonly bool _countBytes;
    private readonly ILogger _logger;

    /// <param name="snapshots">Where each request takes its snapshot from.</param>
    /// <param name="stages">The stages, in order.</param>
    /// <param name="observers">Told about every finished request with a full <see cref="RequestRecord"/> (the access log).</param>
    /// <param name="logger">For failures no stage handled.</param>
    /// <param name="metrics">Istio's request metrics, fed from the request itself (they need no record).</param>
    /// <param name="countBytes">Whether body bytes are counted (the access log and spans report them).</param>
    public RequestPipeline(SnapshotHolder snapshots, IReadOnlyList<IRequestStage> stages,
        IReadOnlyList<IRequestObserver> observers, ILogger<RequestPipeline> logger, IstioMetrics? metrics = null,
        bool countBytes = true)
    {
        _snapshots = snapshots;
        _stages = stages;
        _observers = observers;
        _logger = logger;
        _metrics = metrics;
        _countBytes = countBytes;
    }

    /// <summary>Handles a request that arrived on the listener of Gateway port <paramref name="port"/>.</summary>
    public async Task HandleAsync(HttpContext context, int port)
    {
        var serving = _snapshots.Serving;
        context.Response.Headers.Server = LocalReply.ServerHeader;
        if (!serving.Snapshot.Listeners.TryGetValue(port, out var listener))
        {
            // The port was removed by a reload while this connection stayed open.
            RequestCanonicalizer.SkipHeadVerdict(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // One view of the request from here on: checked and normalized in place before any stage sees it.
        var refusal = RequestCanonicalizer.Apply(context, serving.Snapshot.PathNormalization, out var target);
        var request = new GatewayRequest(context, serving, listener, target);
        context.Features.Set(request);
        // Wrapping the bodies costs two streams and makes ASP.NET put a stream adapter in front of Kestrel's response
        // writer; only done when something reports the byte counts.
        CountingStream? requestBody = null;
        CountingStream? responseBody = null;
        if (_countBytes)
        {
            requestBody = new CountingStream(context.Request.Body);
            responseBody = new CountingStream(context.Response.Body);
            context.Request.Body = requestBody;
            context.Response.Body = responseBody;
        }

        try
        {
            if (refusal is not null)
            {
                await LocalReply.RefuseAsync(request, refusal).ConfigureAwait(false);
                return;
            }

            var stages = _stages;
            for (var i = 0; i < stages.Count; i++)
            {
                if (await stages[i].InvokeAsync(request).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnexpected(_logger, e, request.PathAndQuery);
            await LocalReply.WriteAsync(request, StatusCodes.Status500InternalServerError, null, "gateway_error", []).ConfigureAwait(false);
        }
        finally
        {
            request.BytesReceived = requestBody?.Count ?? 0;
            request.BytesSent = responseBody?.Count ?? 0;
            request.Trace?.Finish(request);
            Report(request);
        }
    }

    private void Report(GatewayRequest request)
    {
        var http = request.Http;
        var elapsed = Stopwatch.GetElapsedTime(request.StartTimestamp);
        var code = http.Response.StatusCode;
        var flags = request.ResponseFlags;
        if (http.RequestAborted.IsCancellationRequested && flags is null)
        {
            flags = "DC";
        }

        _metrics?.Observe(request.Destination?.Host, request.Endpoint?.Labels, code, flags, elapsed.TotalMilliseconds);
        if (_observers.Count == 0)
        {
            // Nothing reads the record (access log off): its strings (addresses, times, headers) are not built.
            return;
        }

        var headers = http.Request.Headers;
        var connection = http.Connection;
        var record = new RequestRecord
        {
            StartTime = request.StartTime,
            Method = request.Method,
            Path = request.PathAndQuery,
            Protocol = http.Request.Protocol,
            ResponseCode = code,
            ResponseFlags = flags,
            ResponseDetails = request.ResponseDetails,
            BytesReceived = request.BytesReceived,
            BytesSent = request.BytesSent,
            DurationMs = (long)elapsed.TotalMilliseconds,
            DurationExactMs = elapsed.TotalMilliseconds,
            UpstreamServiceTime = request.UpstreamServiceTimeMs >= 0 ? request.UpstreamServiceTimeMs.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            ForwardedFor = NullIfEmpty(headers["x-forwarded-for"].ToString()),
            UserAgent = NullIfEmpty(headers.UserAgent.ToString()),
            RequestId = NullIfEmpty(request.RequestId),
            Authority = NullIfEmpty(request.UpstreamAuthority.Length > 0 ? request.UpstreamAuthority : request.Authority),
            UpstreamHost = request.Endpoint?.AddressText,
            UpstreamCluster = request.Destination?.Cluster?.Name,
            DownstreamLocalAddress = Address(connection.LocalIpAddress, connection.LocalPort),
            DownstreamRemoteAddress = Address(connection.RemoteIpAddress, connection.RemotePort),
            RequestedServerName = request.ServerName,
            RouteName = NullIfEmpty(request.Route?.Name),
            DestinationService = request.Destination?.Host,
            DestinationLabels = request.Endpoint?.Labels,
            Operation = request.Operation,
        };

        for (var i = 0; i < _observers.Count; i++)
        {
            _observers[i].OnCompleted(record);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Address(System.Net.IPAddress? ip, int port)
    {
        if (ip is null)
        {
            return null;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{ip}]:{port}"
            : $"{ip}:{port}";
    }

    [LoggerMessage(EventId = LogEvents.UnexpectedFailure, Level = LogLevel.Error, Message = "Unexpected failure while handling {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string path);
}

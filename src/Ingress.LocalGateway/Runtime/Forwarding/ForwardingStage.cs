using System.Net.Sockets;
using Ingress.LocalGateway.Runtime.Upstreams;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Upstreams;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Runtime.Forwarding;

/// <summary>
/// Forwards a routed request as Envoy's router does, with the dedicated HTTP/1.1 client for plain-text clusters
/// (<c>ForwardingStage.Http1.cs</c>) and YARP's <see cref="IHttpForwarder"/> for the rest: picks the weighted
/// destination, applies the route's header operations, rewrites and authority, sends the mirrors, then tries the
/// upstream under the route's retry policy (another endpoint each retry when one exists, per-try and route timeouts,
/// jittered back-off), and turns upstream failures into Envoy's local replies (503 NC/UH/UF/UC, 504 UT, URX), each
/// logged in one line (YARP's own per-attempt log with its stack trace is off, see ProxyLogging in the CLI).
/// </summary>
public sealed partial class ForwardingStage : IRequestStage
{
    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        // Istio sets no route timeout; the idle limit only guards against upstreams that never answer.
        ActivityTimeout = TimeSpan.FromMinutes(10),
    };

    private readonly IHttpForwarder _forwarder;
    private readonly RequestMirror? _mirror;
    private readonly int _bufferLimit;
    private readonly ILogger _logger;

    public ForwardingStage(IHttpForwarder forwarder, RequestMirror? mirror = null, ILogger<ForwardingStage>? logger = null,
        int bufferLimit = ReplayableBody.DefaultLimit)
    {
        _forwarder = forwarder;
        _mirror = mirror;
        _bufferLimit = bufferLimit;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// One line per request the upstream failed (after its retries): the response flags, the request, the upstream
    /// host and cluster, Envoy's response details and the error, never a stack trace.
    /// </summary>
    private void LogFailure(GatewayRequest request, ClusterRuntime cluster)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        var error = request.Http.Features.Get<IForwarderErrorFeature>()?.Exception?.Message.ReplaceLineEndings(" ");
        LogUpstreamFailure(_logger, request.ResponseFlags ?? "-", request.Http.Request.Method, request.Authority, request.Path,
            request.Endpoint?.AddressText ?? "-", cluster.Name, request.ResponseDetails ?? "-", error ?? "-");
    }

    [LoggerMessage(EventId = LogEvents.UpstreamFailure, Level = LogLevel.Warning,
        Message = "Upstream failure {Flags}: {Method} {Authority}{Path} -> {Upstream} ({Cluster}): {Details}: {Error}")]
    private static partial void LogUpstreamFailure(ILogger logger, string flags, string method, string authority, string path,
        string upstream, string cluster, string details, string error);

    /// <inheritdoc />
    public async ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var route = request.Route!;
        var action = (ForwardAction)route.Action;
        var destination = request.Destination ?? action.Pick();
        request.Destination = destination;
        PrepareUpstreamRequest(request, route, destination, action.Destinations.Count > 1);
        if (request.Upstream is not { } cluster)
        {
            await LocalReply.ClusterNotFound(request, action.ClusterNotFoundStatus).ConfigureAwait(false);
            return true;
        }

        var policies = route.Policies;
        var retry = policies.Retry;
        var body = ReplayableBody.NotRead;
        if (retry is not null || policies.Mirrors.Count > 0)
        {
            try
            {
                body = await ReplayableBody.ReadAsync(request.Http, _bufferLimit).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException && request.Http.RequestAborted.IsCancellationRequested)
            {
                request.AddResponseFlag("DC");
                request.ResponseDetails = "downstream_remote_disconnect";
                return true;
            }
            catch (IOException)
            {
                // The client's body broke HTTP framing while the client is still there: a bad chunk size or extension,
                // or one that overflows (Kestrel reports that one as a plain IOException rather than a
                // BadHttpRequestException). 400 DPE, as Envoy's codec answers.
                await LocalReply.DownstreamProtocolErrorReply(request, "http1.codec_error").ConfigureAwait(false);
                return true;
            }

            if (!body.IsReplayable)
            {
                // Envoy: "The request payload ... exceeds buffer limit. Give up on the retry/shadow."
                retry = null;
            }
        }

        using var routeTimeout = policies.Timeout is { } timeout ? new CancellationTokenSource(timeout) : null;
        var attempt = new AttemptLoop(this, request, cluster, retry, body, routeTimeout);
        if (body.IsReplayable && policies.Mirrors.Count > 0 && _mirror is not null)
        {
            _mirror.Send(request, policies.Mirrors, body, policies.Timeout);
        }

        await attempt.RunAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Header operations, path rewrite and authority, applied to the request as Envoy's router does.</summary>
    public static void PrepareUpstreamRequest(GatewayRequest request, RouteEntry route, WeightedDestination destination, bool weighted)
    {
        var headers = request.Http.Request.Headers;
        if (weighted)
        {
            destination.RequestHeaders.Apply(headers);
            route.RequestHeaders.Apply(headers);
        }
        else
        {
            route.RequestHeaders.Apply(headers);
            destination.RequestHeaders.Apply(headers);
        }

        request.UpstreamAuthority = route.Authority ?? destination.Authority ?? request.Authority;
        if (route.Rewrite is not null)
        {
            // The normalized path is what was matched and is what is rewritten; the result is sent as it is, never
            // normalized again (Envoy's finalizePathHeader). The query is kept as received.
            var path = route.Rewrite.Apply(request.Path);
            request.UpstreamPathAndQuery = path + request.PathAndQuery[request.Path.Length..];
            headers["x-envoy-original-path"] = request.PathAndQuery;
        }
        else
        {
            request.UpstreamPathAndQuery = request.PathAndQuery;
        }
    }

    /// <summary>
    /// Picks the endpoint of an attempt. With the previous-hosts predicate, a host already tried is re-picked up to the
    /// host selection limit, after which the last pick is used (Envoy's <c>host_selection_retry_max_attempts</c>).
    /// </summary>
    public static EndpointDefinition? PickEndpoint(ClusterRuntime cluster, RetryPolicy? retry, IReadOnlyCollection<EndpointDefinition>? tried)
    {
        // The cluster leaves out the endpoints already tried while others are healthy: the outcome Envoy's re-picks
        // reach, without leaving it to chance under LEAST_REQUEST or RANDOM.
        return cluster.Pick(tried is { Count: > 0 } && retry is { AvoidPreviousHosts: true } ? tried : null);
    }

    /// <summary>The attempts of one request: the first, then each retry the policy allows.</summary>
    private sealed partial class AttemptLoop(ForwardingStage stage, GatewayRequest request, ClusterRuntime cluster, RetryPolicy? retry,
        ReplayableBody body, CancellationTokenSource? routeTimeout)
    {
        // The endpoints of the attempts before this one, made only when a retry happens.
        private List<EndpointDefinition>? _tried;
        private int _retries;
        private RetryLease? _retrySlot;

        // Holds the retry slot for the retry about to run, releasing the previous retry's.
        private void HoldRetrySlot(RetryLease slot)
        {
            _retrySlot?.Dispose();
            _retrySlot = slot;
        }

        // Every attempt runs in this one async method: a request pays for one state machine here, not one per layer.
        public async Task RunAsync()
        {
            try
            {
                var http = request.Http;
                while (true)
                {
                    if (_retries > 0 && request.Endpoint is { } previous)
                    {
                        (_tried ??= []).Add(previous);
                    }

                    var endpoint = PickEndpoint(cluster, retry, _tried);
                    if (endpoint is null)
                    {
                        await LocalReply.NoHealthyUpstreamReply(request).ConfigureAwait(false);
                        return;
                    }

                    request.Endpoint = endpoint;
                    request.Attempt = _retries + 1;
                    request.RetryPolicy = retry;
                    request.RetriesLeft = retry is not null && _retries < retry.NumRetries;
                    request.RetryableResponse = false;
                    body.Rewind(http);

                    // The cluster's circuit breakers (DestinationRule connectionPool): past them Envoy answers 503 UO.
                    using var lease = await cluster.TryAcquireAsync(endpoint, http.RequestAborted).ConfigureAwait(false);
                    if (lease is null)
                    {
                        await UpstreamReplies.OverflowAsync(request).ConfigureAwait(false);
                        return;
                    }

                    using var perTry = retry?.PerTryTimeout is { } perTryTimeout ? new CancellationTokenSource(perTryTimeout) : null;
                    using var linked = Link(routeTimeout, perTry);
                    // A plain-text cluster's requests take the dedicated HTTP/1.1 client (chosen when the cluster was
                    // compiled); upgrades and everything else go through YARP.
                    var error = cluster.Http1PoolFor(endpoint) is { } pool && CanUseHttp1Client(http)
                        ? await SendWithHttp1ClientAsync(pool, linked?.Token).ConfigureAwait(false)
                        : await stage._forwarder.SendAsync(http, endpoint.Prefix, cluster.Client, RequestConfig,
                            GatewayTransformer.Instance, linked?.Token ?? CancellationToken.None).ConfigureAwait(false);
                    ReportToOutlierDetection(endpoint, error, perTry);
                    request.RetryPolicy = null;
                    if (error == ForwarderError.None)
                    {
                        if (!request.RetryableResponse)
                        {
                            return;
                        }

                        // A retriable status: the response was not sent downstream; try again in the slot the
                        // transformer took.
                        HoldRetrySlot(request.PendingRetry!);
                        request.PendingRetry = null;
                        if (!await BeforeRetryAsync().ConfigureAwait(false))
                        {
                            return;
                        }

                        continue;
                    }

                    if (routeTimeout?.IsCancellationRequested == true
                        || (error == ForwarderError.RequestTimedOut && perTry?.IsCancellationRequested != true))
                    {
                        await ReportTimeoutAsync(perTry: false).ConfigureAwait(false);
                        stage.LogFailure(request, cluster);
                        return;
                    }

                    if (http.RequestAborted.IsCancellationRequested || (perTry?.IsCancellationRequested != true && IsDownstreamCancel(error)))
                    {
                        request.AddResponseFlag("DC");
                        request.ResponseDetails = "downstream_remote_disconnect";
                        return;
                    }

                    if (error == ForwarderError.RequestBodyClient)
                    {
                        // The client's body broke HTTP framing (a bad chunk size): the client's fault, 400 DPE as Envoy's codec.
                        await LocalReply.DownstreamProtocolErrorReply(request, "http1.codec_error").ConfigureAwait(false);
                        return;
                    }

                    if (http.Response.HasStarted)
                    {
                        request.AddResponseFlag(perTry?.IsCancellationRequested == true ? "UT" : "UR");
                        request.ResponseDetails = perTry?.IsCancellationRequested == true
                            ? "upstream_per_try_timeout"
                            : "upstream_reset_after_response_started{remote_reset}";
                        stage.LogFailure(request, cluster);
                        return;
                    }

                    var failure = perTry?.IsCancellationRequested == true ? AttemptFailure.PerTryTimeout : Classify(http, error);
                    if (retry is not null && retry.RetriesReset(failure))
                    {
                        if (_retries >= retry.NumRetries)
                        {
                            request.AddResponseFlag("URX");
                        }
                        else if (cluster.TryAcquireRetry() is { } slot)
                        {
                            HoldRetrySlot(slot);
                            if (!await BeforeRetryAsync().ConfigureAwait(false))
                            {
                                return;
                            }

                            continue;
                        }
                        else
                        {
                            // The cluster's retry budget (maxRetries) is spent: Envoy gives up and flags the overflow.
                            request.AddResponseFlag("UO");
                        }
                    }

                    await ReplyAsync(failure).ConfigureAwait(false);
                    stage.LogFailure(request, cluster);
                    return;
                }
            }
            finally
            {
                _retrySlot?.Dispose();
                request.PendingRetry?.Dispose();
                request.PendingRetry = null;
            }
        }

        // Outlier detection counts every attempt's outcome; a failure without a response counts as the 5xx Envoy maps
        // it to (a timeout as 504, a refused or reset connection as 503); a client that left counts nothing.
        private void ReportToOutlierDetection(EndpointDefinition endpoint, ForwarderError error, CancellationTokenSource? perTry)
        {
            var http = request.Http;
            if (error == ForwarderError.None || http.Response.HasStarted)
            {
                cluster.Report(endpoint, http.Response.StatusCode);
            }
            else if (routeTimeout?.IsCancellationRequested == true || perTry?.IsCancellationRequested == true || error == ForwarderError.RequestTimedOut)
            {
                cluster.Report(endpoint, LocalOriginFailure.Timeout);
            }
            else if (!http.RequestAborted.IsCancellationRequested && error != ForwarderError.RequestBodyClient)
            {
                cluster.Report(endpoint, LocalOriginFailure.ConnectFailure);
            }
        }

        // Clears what the failed attempt left on the response, then waits the back-off. False when the route timeout
        // expired (answered 504) or the client left during the wait.
        private async Task<bool> BeforeRetryAsync()
        {
            var http = request.Http;
            http.Response.Headers.Clear();
            http.Response.StatusCode = StatusCodes.Status200OK;
            if (http.Features.Get<IHttpResponseFeature>() is { } feature)
            {
                feature.ReasonPhrase = null;
            }

            http.Features.Set<IForwarderErrorFeature>(null);
            request.ResponseDetails = null;
            request.UpstreamServiceTimeMs = -1;
            _retries++;
            try
            {
                using var wait = routeTimeout is null
                    ? CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted)
                    : CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, routeTimeout.Token);
                await Task.Delay(retry!.Backoff(_retries), wait.Token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (routeTimeout?.IsCancellationRequested == true)
            {
                await ReportTimeoutAsync(perTry: false).ConfigureAwait(false);
                return false;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        private Task ReportTimeoutAsync(bool perTry)
        {
            if (request.Http.Response.HasStarted)
            {
                request.AddResponseFlag("UT");
                request.ResponseDetails = perTry ? "upstream_per_try_timeout" : "upstream_response_timeout";
                return Task.CompletedTask;
            }

            return perTry ? LocalReply.PerTryTimeoutReply(request) : LocalReply.UpstreamTimeoutReply(request);
        }

        private Task ReplyAsync(AttemptFailure failure) => failure switch
        {
            AttemptFailure.PerTryTimeout => ReportTimeoutAsync(perTry: true),
            AttemptFailure.ConnectFailure => LocalReply.ConnectFailureReply(request, _retries > 0),
            _ => LocalReply.ConnectionTerminationReply(request, _retries > 0),
        };

        private static CancellationTokenSource? Link(CancellationTokenSource? route, CancellationTokenSource? perTry) =>
            (route, perTry) switch
            {
                (null, null) => null,
                (not null, null) => CancellationTokenSource.CreateLinkedTokenSource(route.Token),
                (null, not null) => CancellationTokenSource.CreateLinkedTokenSource(perTry.Token),
                _ => CancellationTokenSource.CreateLinkedTokenSource(route.Token, perTry.Token),
            };

        private static bool IsDownstreamCancel(ForwarderError error) =>
            error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
                or ForwarderError.ResponseBodyCanceled or ForwarderError.UpgradeRequestCanceled;

        private static AttemptFailure Classify(HttpContext http, ForwarderError error)
        {
            var exception = http.Features.Get<IForwarderErrorFeature>()?.Exception;
            for (var e = exception; e is not null; e = e.InnerException)
            {
                if (e is HttpProtocolException { ErrorCode: 0x7 })
                {
                    return AttemptFailure.RefusedStream;
                }

                // Only a connection that was never made is Envoy's connection failure (what connect-failure retries);
                // one the upstream accepted and then closed is a connection termination.
                if (error == ForwarderError.Request && (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused
                        or SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable
                        or SocketError.HostNotFound or SocketError.AddressNotAvailable or SocketError.NetworkDown }
                        || e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError }))
                {
                    return AttemptFailure.ConnectFailure;
                }
            }

            return AttemptFailure.ConnectionTermination;
        }
    }
}

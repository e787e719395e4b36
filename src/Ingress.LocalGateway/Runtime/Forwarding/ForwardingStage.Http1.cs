using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Ingress.LocalGateway.Runtime.Upstreams.Http1;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Forwarder;

namespace Ingress.LocalGateway.Runtime.Forwarding;

/// <summary>
/// The attempt through the dedicated HTTP/1.1 client: the request is written from the gateway's request straight into
/// the upstream connection, the response head is parsed straight into Kestrel's response, and the outcome is reported
/// as the <see cref="ForwarderError"/> YARP would give, so that retries, outlier detection, timeouts and local replies
/// read it as they read YARP's.
/// </summary>
public sealed partial class ForwardingStage
{
    // The request and response fields YARP never forwards (RequestUtilities): the same for both clients.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection", "Proxy-Authenticate",
        "Proxy-Authentication-Info", "Proxy-Authorization", "Proxy-Features", "Proxy-Instruction", "Security-Scheme",
        "ALPN", "Close", "TE", "Alt-Svc", "Host", "x-envoy-attempt-count",
    };

    // Response field names Kestrel knows, so that the common ones cost no string per response.
    private static readonly string[] KnownResponseNames =
    [
        "Content-Type", "Date", "Server", "Cache-Control", "ETag", "Last-Modified", "Vary", "Set-Cookie", "Content-Encoding",
        "Expires", "Location", "Accept-Ranges", "Age", "Allow", "Content-Language", "Content-Location", "Content-Range",
        "Pragma", "Retry-After", "WWW-Authenticate", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
        "Access-Control-Expose-Headers", "Strict-Transport-Security", "X-Content-Type-Options", "grpc-status", "grpc-message",
        "x-envoy-upstream-service-time", "x-envoy-overloaded", "x-envoy-ratelimited",
    ];

    /// <summary>Upgrades (WebSocket, HTTP/2 extended CONNECT) and CONNECT stay with YARP.</summary>
    private static bool CanUseHttp1Client(HttpContext http) =>
        http.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true
        && http.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect != true
        && !HttpMethods.IsConnect(http.Request.Method);

    private static string NameOf(ReadOnlySpan<byte> name)
    {
        foreach (var known in KnownResponseNames)
        {
            if (known.Length == name.Length && Ascii.EqualsIgnoreCase(name, known))
            {
                return known;
            }
        }

        return Encoding.Latin1.GetString(name);
    }

    private sealed partial class AttemptLoop : IHttp1Request, IHttp1ResponseHandler
    {
        private PipeReader? _body;
        private long? _bodyLength;
        private bool _propagateTrace;
        private bool _declinesRetry;
        private string? _grpcStatus;

        string IHttp1Request.Method => request.Http.Request.Method;

        string IHttp1Request.Target => request.UpstreamPathAndQuery;

        string IHttp1Request.Authority => request.UpstreamAuthority;

        PipeReader? IHttp1Request.Body => _body;

        long? IHttp1Request.BodyLength => _bodyLength;

        void IHttp1Request.WriteHeaders(Http1RequestWriter writer)
        {
            var headers = request.Http.Request.Headers;
            var connection = headers.Connection;
            foreach (var (name, value) in headers)
            {
                if (NotForwarded.Contains(name) || name.StartsWith(':')
                    || (_propagateTrace && Tracing.RequestTrace.IsContextHeader(name))
                    || (connection.Count > 0 && GatewayTransformer.IsConnectionNominated(connection, name)))
                {
                    continue;
                }

                writer.Add(name, value);
            }

            writer.Add("x-envoy-attempt-count", request.Attempt.ToString(CultureInfo.InvariantCulture));
            if (_propagateTrace)
            {
                request.Trace!.WriteContext(writer, static (w, name, value) => w.Add(name, value));
            }
        }

        void IHttp1ResponseHandler.OnStatus(int status, ReadOnlySpan<byte> reason)
        {
            var http = request.Http;
            http.Response.StatusCode = status;
            // As YARP: an HTTP/1.x client gets the upstream's reason phrase when it is not the standard one.
            if (!reason.IsEmpty && (HttpProtocol.IsHttp11(http.Request.Protocol) || HttpProtocol.IsHttp10(http.Request.Protocol))
                && !Ascii.Equals(reason, ReasonPhrases.GetReasonPhrase(status)) && http.Features.Get<IHttpResponseFeature>() is { } feature)
            {
                feature.ReasonPhrase = Encoding.Latin1.GetString(reason);
            }
        }

        void IHttp1ResponseHandler.OnHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            var key = NameOf(name);
            if (NotForwarded.Contains(key))
            {
                return;
            }

            var text = Encoding.Latin1.GetString(value);
            if (key is "x-envoy-overloaded" or "x-envoy-ratelimited")
            {
                _declinesRetry = true;
            }
            else if (key == "grpc-status")
            {
                _grpcStatus ??= text;
            }

            // Not IHeaderDictionary.Append: it drops an empty value, which YARP (and Envoy) pass on.
            var headers = request.Http.Response.Headers;
            headers[key] = headers.TryGetValue(key, out var existing) ? StringValues.Concat(existing, text) : new StringValues(text);
        }

        void IHttp1ResponseHandler.OnTrailer(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
        {
            // As YARP: trailers reach clients whose protocol carries them (HTTP/2); an HTTP/1.1 response drops them.
            if (request.Http.Features.Get<IHttpResponseTrailersFeature>() is { Trailers: { IsReadOnly: false } trailers })
            {
                var key = NameOf(name);
                if (!NotForwarded.Contains(key))
                {
                    var text = Encoding.Latin1.GetString(value);
                    trailers[key] = trailers.TryGetValue(key, out var existing) ? StringValues.Concat(existing, text) : new StringValues(text);
                }
            }
        }

        // One attempt: YARP's HttpForwarder.SendAsync with the gateway's transformer, on the dedicated client. Its state
        // machine (and the client's) come from a pool: they would otherwise be a few hundred bytes per request.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ForwarderError> SendWithHttp1ClientAsync(Http1ConnectionPool pool, CancellationToken? timeouts)
        {
            var http = request.Http;
            var canHaveBody = http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? http.Request.ContentLength > 0;
            _bodyLength = http.Request.ContentLength;
            _body = canHaveBody || _bodyLength == 0 ? http.Request.BodyReader : null;
            if (_body is not null && !canHaveBody)
            {
                _bodyLength = 0;
            }

            _declinesRetry = false;
            _grpcStatus = null;
            _propagateTrace = request.Trace?.StartUpstreamAttempt(request) == true;
            request.UpstreamStartTimestamp = Stopwatch.GetTimestamp();

            // The client leaving cancels the attempt, as do the route and per-try timeouts.
            using var linked = timeouts is { } token ? CancellationTokenSource.CreateLinkedTokenSource(token, http.RequestAborted) : null;
            var cancellationToken = linked?.Token ?? http.RequestAborted;
            Http1Connection connection;
            try
            {
                connection = await pool.SendAsync(this, this, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Http1UpstreamException or OperationCanceledException or ArgumentException)
            {
                return Fail(e, responseStarted: false);
            }

            try
            {
                var head = connection.Head;
                request.Trace?.OnUpstreamResponse(head.Status, head.IsHttp10 ? System.Net.HttpVersion.Version10 : System.Net.HttpVersion.Version11);
                if (request.RetryPolicy is { } retry && GatewayTransformer.IsRetriable(retry, head.Status, _declinesRetry, _grpcStatus)
                    && GatewayTransformer.TakeRetry(request))
                {
                    return ForwarderError.None;
                }

                if (head.DeclaredLength is { } length)
                {
                    http.Response.ContentLength = length;
                }

                GatewayTransformer.FinishResponse(request);
                try
                {
                    await connection.CopyResponseBodyAsync(http.Response.BodyWriter, this).ConfigureAwait(false);
                    // The copy leaves its last piece unflushed: completing the response sends it with the response's end
                    // (on HTTP/2 one DATA frame with END_STREAM, the stream scheduled once on the connection's frame
                    // writer), also through a stream that wraps the response body (the byte counting of the access log).
                    await http.Response.CompleteAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is Http1UpstreamException or OperationCanceledException)
                {
                    return Fail(e, responseStarted: true);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // Writing to the client failed: the client's side, as YARP's ResponseBodyClient.
                    return Report(ForwarderError.ResponseBodyClient, e);
                }

                return ForwarderError.None;
            }
            finally
            {
                connection.Release();
            }
        }

        private ForwarderError Fail(Exception e, bool responseStarted)
        {
            var http = request.Http;
            if (!http.Response.HasStarted)
            {
                // Nothing of a failed attempt reaches the client: the local reply (or the retry) starts from a clean response.
                http.Response.Headers.Clear();
                http.Response.StatusCode = StatusCodes.Status200OK;
                if (http.Features.Get<IHttpResponseFeature>() is { } feature)
                {
                    feature.ReasonPhrase = null;
                }
            }

            return e switch
            {
                OperationCanceledException => Report(ForwarderError.RequestCanceled, e),
                Http1UpstreamException { Failure: Http1Failure.Timeout } => Report(ForwarderError.RequestTimedOut, e),
                Http1UpstreamException { Failure: Http1Failure.RequestBody } => Report(
                    http.RequestAborted.IsCancellationRequested ? ForwarderError.RequestBodyCanceled : ForwarderError.RequestBodyClient, e),
                // A connect timeout is a connection failure (Envoy's UF, retried on connect-failure).
                Http1UpstreamException { Failure: Http1Failure.ConnectFailure, InnerException: OperationCanceledException } =>
                    Report(ForwarderError.Request, new Http1UpstreamException(Http1Failure.ConnectFailure, "upstream_connect_timeout",
                        new SocketException((int)SocketError.TimedOut))),
                _ when responseStarted => Report(ForwarderError.ResponseBodyDestination, e),
                _ => Report(ForwarderError.Request, e),
            };
        }

        private ForwarderError Report(ForwarderError error, Exception exception)
        {
            request.Http.Features.Set<IForwarderErrorFeature>(new Http1ForwarderError(error, exception));
            return error;
        }
    }

    private sealed class Http1ForwarderError(ForwarderError error, Exception exception) : IForwarderErrorFeature
    {
        public ForwarderError Error { get; } = error;

        public Exception? Exception { get; } = exception;
    }
}

using System.Net;
using System.Net.Sockets;
using Ingress.LocalGateway.Runtime.Upstreams.Http1;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Runtime.Upstreams.Http1;

/// <summary>The dedicated HTTP/1.1 upstream client over real sockets: what it writes, what it reads, when it reuses.</summary>
public sealed class Http1ConnectionPoolTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

    [Fact]
    public async Task Writes_the_request_line_host_and_fields_exactly_and_reads_a_content_length_response()
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var (handler, body, head) = await Http1Exchange.RunAsync(pool, new TestRequest
        {
            Target = "/hello?x=1",
            Headers = [("x-request-id", "abc"), ("Connection", "upgrade"), ("transfer-encoding", "chunked"), ("host", "evil"), ("accept", "*/*")],
        });

        Assert.Equal("GET /hello?x=1 HTTP/1.1\r\nhost: backend.test\r\nx-request-id: abc\r\naccept: */*\r\n\r\n", Assert.Single(upstream.Requests).Head);
        Assert.Equal(200, handler.Status);
        Assert.Equal("OK", handler.Reason);
        Assert.Equal([("Content-Type", "text/plain")], handler.Headers);
        Assert.Equal("hello", body);
        Assert.Equal(new Http1ResponseHead(200, false, Http1BodyFraming.ContentLength, 5, true) { DeclaredLength = 5 }, head);
    }

    [Fact]
    public async Task Writes_a_field_with_several_values_on_one_line_as_httpclient_does()
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        await Http1Exchange.RunAsync(pool, new TestRequest
        {
            Values = [("x-list", new(["a", "b"])), ("Cookie", new(["c=1", "d=2"]))],
        });

        Assert.Equal("GET /hello HTTP/1.1\r\nhost: backend.test\r\nx-list: a, b\r\nCookie: c=1; d=2\r\n\r\n", Assert.Single(upstream.Requests).Head);
    }

    [Fact]
    public async Task Reuses_a_keep_alive_connection_for_the_next_request()
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("hello", (await Http1Exchange.RunAsync(pool)).Body);
        }

        Assert.Equal(1, upstream.Connections);
        Assert.Equal(1, pool.IdleCount);
    }

    [Fact]
    public async Task Decodes_a_chunked_response_with_extensions_and_passes_its_trailers_on()
    {
        await using var upstream = new RawUpstream(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7 \r\n, world\r\n0\r\ngrpc-status: 0\r\n\r\n");
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var (handler, body, head) = await Http1Exchange.RunAsync(pool);
        var (_, again, _) = await Http1Exchange.RunAsync(pool);

        Assert.Equal("hello, world", body);
        Assert.Equal("hello, world", again);
        Assert.Equal(Http1BodyFraming.Chunked, head.Framing);
        Assert.Empty(handler.Headers);
        Assert.Equal([("grpc-status", "0")], handler.Trailers);
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Streams_a_body_of_known_length_with_content_length_and_one_of_unknown_length_chunked()
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        await Http1Exchange.RunAsync(pool, new TestRequest { Method = "POST", Body = TestRequest.BodyOf("abc"), BodyLength = 3 });
        await Http1Exchange.RunAsync(pool, new TestRequest { Method = "POST", Body = TestRequest.BodyOf("abcdef") });
        await Http1Exchange.RunAsync(pool, new TestRequest { Method = "POST", Body = TestRequest.BodyOf(""), BodyLength = 0 });

        var requests = upstream.Requests.ToArray();
        Assert.Equal("POST /hello HTTP/1.1\r\nhost: backend.test\r\ncontent-length: 3\r\n\r\n", requests[0].Head);
        Assert.Equal("abc", requests[0].BodyText);
        Assert.Equal("POST /hello HTTP/1.1\r\nhost: backend.test\r\ntransfer-encoding: chunked\r\n\r\n", requests[1].Head);
        Assert.Equal("6\r\nabcdef\r\n0\r\n\r\n", requests[1].BodyText);
        Assert.Equal("POST /hello HTTP/1.1\r\nhost: backend.test\r\ncontent-length: 0\r\n\r\n", requests[2].Head);
        Assert.Equal(1, upstream.Connections);
    }

    [Theory]
    [InlineData("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1024\r\n\r\n")]
    [InlineData("GET", "HTTP/1.1 204 No Content\r\n\r\n")]
    [InlineData("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 1024\r\n\r\n")]
    [InlineData("GET", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nx: y\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")]
    public async Task Reads_no_body_where_the_rfc_says_there_is_none_and_keeps_the_connection(string method, string reply)
    {
        await using var upstream = new RawUpstream(reply);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var (handler, body, head) = await Http1Exchange.RunAsync(pool, new TestRequest { Method = method });
        await Http1Exchange.RunAsync(pool, new TestRequest { Method = method });

        Assert.Equal("", body);
        Assert.Equal(Http1BodyFraming.None, head.Framing);
        Assert.Empty(handler.Headers);
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Reads_a_body_without_framing_until_the_upstream_closes_and_never_reuses_that_connection()
    {
        await using var upstream = new RawUpstream(_ => RawReply.Text("HTTP/1.1 200 OK\r\n\r\nuntil close", close: true));
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var (_, body, head) = await Http1Exchange.RunAsync(pool);
        var (_, again, _) = await Http1Exchange.RunAsync(pool);

        Assert.Equal("until close", body);
        Assert.Equal("until close", again);
        Assert.Equal(Http1BodyFraming.UntilClose, head.Framing);
        Assert.Equal(2, upstream.Connections);
        Assert.Equal(0, pool.OpenCount);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello")]
    public async Task Does_not_reuse_a_connection_the_upstream_will_close(string reply)
    {
        await using var upstream = new RawUpstream(reply);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        await Http1Exchange.RunAsync(pool);
        await Http1Exchange.RunAsync(pool);

        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Keeps_an_http10_connection_that_says_keep_alive()
    {
        await using var upstream = new RawUpstream("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 5\r\n\r\nhello");
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var (handler, _, _) = await Http1Exchange.RunAsync(pool);
        await Http1Exchange.RunAsync(pool);

        Assert.Empty(handler.Headers);
        Assert.Equal(1, upstream.Connections);
    }

    [Fact]
    public async Task Never_reads_bytes_after_a_response_as_the_next_response()
    {
        // A response followed by a second one nobody asked for: the classic response-splitting/desync shape.
        var smuggled = Ok + "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";
        await using var upstream = new RawUpstream(request => RawReply.Text(request.Connection == 1 ? smuggled : Ok));
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var first = await Http1Exchange.RunAsync(pool);
        var second = await Http1Exchange.RunAsync(pool);

        Assert.Equal("hello", first.Body);
        Assert.Equal("hello", second.Body);
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Replaces_a_keep_alive_connection_the_upstream_closed_while_it_was_idle()
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);
        await Http1Exchange.RunAsync(pool);

        upstream.CloseConnections();
        await Poll.UntilAsync(() => pool.IdleCount == 1);
        var (_, body, _) = await Http1Exchange.RunAsync(pool);

        Assert.Equal("hello", body);
        Assert.Equal(2, upstream.Connections);
    }

    [Fact]
    public async Task Retries_once_on_a_new_connection_when_a_reused_one_closes_without_answering()
    {
        // The second request on connection 1 is read, then the upstream closes: the keep-alive race every client meets.
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        await using var upstream = new RawUpstream(request =>
            seen.AddOrUpdate(request.Connection, 1, (_, n) => n + 1) == 2 && request.Connection == 1 ? new RawReply([], Close: true) : RawReply.Text(Ok));
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        await Http1Exchange.RunAsync(pool);
        var (_, body, _) = await Http1Exchange.RunAsync(pool);

        Assert.Equal("hello", body);
        Assert.Equal(2, upstream.Connections);
        Assert.Equal(3, upstream.Requests.Count);
    }

    [Fact]
    public async Task A_new_connection_closed_before_any_response_byte_fails_as_connection_closed()
    {
        await using var upstream = new RawUpstream(_ => new RawReply([], Close: true));
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var error = await Assert.ThrowsAsync<Http1UpstreamException>(() => Http1Exchange.RunAsync(pool));

        Assert.Equal(Http1Failure.ConnectionClosed, error.Failure);
        Assert.Equal("upstream_reset_before_response_started{connection_termination}", error.Details);
        Assert.Single(upstream.Requests);
        Assert.Equal(0, pool.OpenCount);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")]
    public async Task A_body_cut_short_fails_as_connection_closed_after_the_response_started(string reply)
    {
        await using var upstream = new RawUpstream(_ => RawReply.Text(reply, close: true));
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var error = await Assert.ThrowsAsync<Http1UpstreamException>(() => Http1Exchange.RunAsync(pool));

        Assert.Equal(Http1Failure.ConnectionClosed, error.Failure);
        Assert.Equal("upstream_reset_after_response_started{connection_termination}", error.Details);
        Assert.Equal(0, pool.OpenCount);
    }

    [Fact]
    public async Task An_upstream_that_never_answers_fails_after_the_activity_timeout()
    {
        await using var upstream = new RawUpstream(_ => RawReply.None);
        using var pool = new Http1ConnectionPool(upstream.EndPoint, new Http1UpstreamOptions { ActivityTimeout = TimeSpan.FromMilliseconds(200) });

        var error = await Assert.ThrowsAsync<Http1UpstreamException>(() => Http1Exchange.RunAsync(pool));

        Assert.Equal(Http1Failure.Timeout, error.Failure);
        Assert.Equal(0, pool.OpenCount);
    }

    [Fact]
    public async Task Cancelling_the_exchange_throws_operation_canceled_and_closes_the_connection()
    {
        await using var upstream = new RawUpstream(_ => RawReply.None);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);
        using var cancel = new CancellationTokenSource();

        var exchange = Http1Exchange.RunAsync(pool, cancellationToken: cancel.Token);
        await Poll.UntilAsync(() => upstream.Requests.Count == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exchange);
        Assert.Equal(0, pool.OpenCount);
    }

    [Fact]
    public async Task A_refused_connection_fails_as_connect_failure()
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = (IPEndPoint)probe.LocalEndPoint!; // bound, never listening: connections are refused
        using var pool = new Http1ConnectionPool(closedPort);

        var error = await Assert.ThrowsAsync<Http1UpstreamException>(() => Http1Exchange.RunAsync(pool));

        Assert.Equal(Http1Failure.ConnectFailure, error.Failure);
        Assert.Equal("upstream_connect_error{ConnectionRefused}", error.Details);
    }

    [Fact]
    public async Task An_upstream_answering_before_reading_the_body_is_read_and_the_connection_dropped()
    {
        await using var upstream = new RawUpstream(_ => RawReply.Text("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n"))
        {
            ReadBodies = false,
        };
        using var pool = new Http1ConnectionPool(upstream.EndPoint);
        var endless = new System.IO.Pipelines.Pipe();
        await endless.Writer.WriteAsync("partial"u8.ToArray());

        var (handler, _, _) = await Http1Exchange.RunAsync(pool, new TestRequest { Method = "POST", Body = endless.Reader, BodyLength = 1000 });

        Assert.Equal(413, handler.Status);
        await Poll.UntilAsync(() => pool.OpenCount == 0);
    }

    [Fact]
    public async Task Asks_the_upstream_to_close_when_max_requests_per_connection_is_reached()
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint, new Http1UpstreamOptions { MaxRequestsPerConnection = 2 });

        for (var i = 0; i < 4; i++)
        {
            await Http1Exchange.RunAsync(pool);
        }

        var heads = upstream.Requests.Select(r => r.Head.Contains("connection: close", StringComparison.Ordinal)).ToArray();
        Assert.Equal([false, true, false, true], heads);
        Assert.Equal(2, upstream.Connections);
    }

    [Theory]
    [InlineData("x-evil", "a\r\nInjected: 1")]
    [InlineData("x-evil", "a\nb")]
    [InlineData("x-evil", "a\0b")]
    [InlineData("x evil", "a")]
    [InlineData("", "a")]
    public async Task Refuses_to_write_a_field_that_could_split_the_request(string name, string value)
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        await Assert.ThrowsAsync<ArgumentException>(() => Http1Exchange.RunAsync(pool, new TestRequest { Headers = [(name, value)] }));

        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Closes_connections_that_sat_idle_past_the_idle_timeout()
    {
        await using var upstream = new RawUpstream(Ok);
        using var pool = new Http1ConnectionPool(upstream.EndPoint, new Http1UpstreamOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });

        await Http1Exchange.RunAsync(pool);
        Assert.Equal(1, pool.OpenCount);

        await Poll.UntilAsync(() => pool.OpenCount == 0, TimeSpan.FromSeconds(10));
    }
}

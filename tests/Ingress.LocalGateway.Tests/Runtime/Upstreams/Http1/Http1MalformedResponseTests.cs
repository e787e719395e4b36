using Ingress.LocalGateway.Runtime.Upstreams.Http1;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Runtime.Upstreams.Http1;

/// <summary>
/// Upstream responses RFC 9112 refuses, written byte for byte by a raw socket server: each is refused with its rule
/// named, nothing of it reaches the handler past the point of refusal, and its connection is never reused.
/// </summary>
public sealed class Http1MalformedResponseTests
{
    public static TheoryData<string, string> Refused => new()
    {
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n folded\r\n\r\nhello", "http1.obs_fold" },
        { "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello", "http1.bare_lf" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\n\r\nhello", "http1.bare_lf" },
        { "HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 5\r\n\r\nhello", "http1.bare_cr" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", "http1.multiple_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "http1.multiple_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello", "http1.invalid_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello", "http1.invalid_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nhello", "http1.invalid_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 0x5\r\n\r\nhello", "http1.invalid_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\nhello", "http1.invalid_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\nhello", "http1.invalid_content_length" },
        { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "http1.content_length_and_chunked_not_allowed" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "http1.content_length_and_chunked_not_allowed" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\nhello", "http1.invalid_transfer_encoding" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "http1.invalid_transfer_encoding" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "http1.invalid_transfer_encoding" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", "http1.invalid_transfer_encoding" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", "http1.invalid_chunk_size" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nhello\r\n0\r\n\r\n", "http1.invalid_chunk_size" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n", "http1.invalid_chunk_size" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", "http1.invalid_chunk_size" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF1\r\nhello\r\n0\r\n\r\n", "http1.invalid_chunk_size" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8000000000000000\r\nhello\r\n0\r\n\r\n", "http1.invalid_chunk_size" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", "http1.invalid_chunk_end" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", "http1.bare_lf" },
        { "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello", "http1.invalid_header_name" },
        { "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_header_name" },
        { "HTTP/1.1 200 OK\r\n: empty\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_header_field" },
        { "HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_header_field" },
        { "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_header_value" },
        { "HTTP/1.1 20 OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_code" },
        { "HTTP/1.1 2000 OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_line" },
        { "HTTP/1.1 abc OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_code" },
        { "HTTP/1.1 099 OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_code" },
        { "HTTP/2 200 OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_line" },
        { "HTTP/1.2 200 OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_line" },
        { "http/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_line" },
        { "HTTP/1.1  200 OK\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_status_code" },
        { "HTTP/1.1 200 O\u0001K\r\nContent-Length: 5\r\n\r\nhello", "http1.invalid_reason_phrase" },
        { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "http1.unexpected_101" },
        { "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", "http1.body_disallowed_for_204" },
        { "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "http1.body_disallowed_for_204" },
        { "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"x-h{i}: v\r\n")) + "Content-Length: 5\r\n\r\nhello", "http1.too_many_headers" },
        { "HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 61 * 1024) + "\r\nContent-Length: 5\r\n\r\nhello", "http1.headers_too_large" },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nx-t: " + new string('a', 61 * 1024) + "\r\n\r\n", "http1.trailers_too_large" },
        { string.Concat(Enumerable.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 17)) + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "http1.too_many_interim_responses" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Refuses_a_malformed_response_with_its_rule_and_closes_the_connection(string reply, string details)
    {
        await using var upstream = new RawUpstream(reply);
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var error = await Assert.ThrowsAsync<Http1UpstreamException>(() => Http1Exchange.RunAsync(pool));

        Assert.Equal(Http1Failure.ProtocolError, error.Failure);
        Assert.Equal(details, error.Details);
        Assert.Equal(0, pool.OpenCount);
    }

    [Fact]
    public async Task A_head_that_arrives_a_byte_at_a_time_parses_the_same()
    {
        const string reply = "HTTP/1.1 200 OK\r\nX-A: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-t: 2\r\n\r\n";
        await using var upstream = new RawUpstream(_ => RawReply.Text(reply) with { Trickle = true });
        using var pool = new Http1ConnectionPool(upstream.EndPoint);

        var (handler, body, _) = await Http1Exchange.RunAsync(pool);
        var (again, _, _) = await Http1Exchange.RunAsync(pool);

        Assert.Equal([("X-A", "1")], handler.Headers);
        Assert.Equal([("x-t", "2")], handler.Trailers);
        Assert.Equal("abc", body);
        Assert.Equal([("X-A", "1")], again.Headers);
        Assert.Equal(1, upstream.Connections);
    }
}

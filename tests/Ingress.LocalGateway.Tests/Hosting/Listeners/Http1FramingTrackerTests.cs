using System.Text;
using Ingress.LocalGateway.Hosting.Listeners;
using Ingress.LocalGateway.Runtime.Edge;
using static Ingress.LocalGateway.Runtime.Edge.Http1HeadVerdict;

namespace Ingress.LocalGateway.Tests.Hosting.Listeners;

/// <summary>
/// The framing tracker fed a connection's bytes in every way Kestrel may hand them over: whole, byte by byte, and cut
/// at every pair of points. Whatever the cuts, it finds the same heads (never one inside a body) with the same
/// Content-Length verdicts, by Envoy's Balsa rule (<c>BalsaFrame::ProcessContentLengthLine</c>, <c>ProcessHeaderLines</c>).
/// </summary>
public sealed class Http1FramingTrackerTests
{
    private const string Fake = "GET /fake HTTP/1.1\r\nContent-Length: +5\r\n\r\n";

    [Fact]
    public void Pipelined_requests_get_one_verdict_each_in_order() =>
        AssertHeads(
            "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" +
            "POST /b?q=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
            "HEAD /c HTTP/1.1\r\nHost: x\r\n\r\n",
            stopped: false,
            ("GET", "/a", Clean), ("POST", "/b?q=1", Clean), ("HEAD", "/c", Clean));

    [Fact]
    public void A_body_framed_by_content_length_is_skipped_even_when_it_reads_like_a_request_head() =>
        AssertHeads(
            $"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: {Fake.Length}\r\n\r\n{Fake}" +
            "GET /next HTTP/1.1\r\nHost: x\r\n\r\n",
            stopped: false,
            ("POST", "/upload", Clean), ("GET", "/next", Clean));

    [Fact]
    public void Chunked_bodies_with_extensions_and_trailers_are_followed_to_the_next_request() =>
        AssertHeads(
            "POST /chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5;name=value\r\nhello\r\n" +
            $"{Fake.Length:x};a;b=\"q\"\r\n{Fake}\r\n" +
            $"{Fake.Length:X}\r\n{Fake}\r\n" +
            "0;last\r\nX-Trailer: 1\r\nContent-Length: +5\r\n\r\n" +
            "POST /after HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello",
            stopped: true,
            ("POST", "/chunks", Clean), ("POST", "/after", ContentLengthRefused));

    [Fact]
    public void A_chunked_body_without_trailers_ends_at_the_empty_line() =>
        AssertHeads(
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
            stopped: false,
            ("POST", "/a", Clean), ("GET", "/b", Clean));

    [Theory]
    [InlineData("+5")]
    [InlineData("-1")]
    [InlineData("-0")]
    [InlineData("+0")]
    [InlineData("5, 5")]
    [InlineData("5,6")]
    [InlineData("0x5")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5 5")]
    [InlineData("18446744073709551616")]
    [InlineData("99999999999999999999")]
    public void A_content_length_envoy_refuses_is_refused_and_the_watch_ends(string value) =>
        AssertHeads(
            $"GET /ok HTTP/1.1\r\nHost: x\r\n\r\nPOST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\nhello" +
            "GET /later HTTP/1.1\r\nHost: x\r\n\r\n",
            stopped: true,
            ("GET", "/ok", Clean), ("POST", "/bad", ContentLengthRefused));

    [Theory]
    [InlineData("5")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("\t5\t")]
    [InlineData("005")]
    public void A_content_length_envoy_accepts_frames_the_body(string value) =>
        AssertHeads(
            $"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length:{value}\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
            stopped: false,
            ("POST", "/a", Clean), ("GET", "/b", Clean));

    [Fact]
    public void A_content_length_of_zero_has_no_body() =>
        AssertHeads(
            "POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
            stopped: false,
            ("POST", "/a", Clean), ("GET", "/b", Clean));

    [Fact]
    public void The_largest_64_bit_content_length_is_valid_for_envoy_but_beyond_what_kestrel_frames() =>
        AssertHeads(
            "POST /a HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
            stopped: true,
            ("POST", "/a", Clean));

    [Theory]
    [InlineData("5", "5")]
    [InlineData("5", "6")]
    [InlineData("+5", "+5")]
    [InlineData("5", "+5")]
    [InlineData("", "")]
    public void Two_content_length_headers_are_refused_even_with_equal_values(string first, string second) =>
        AssertHeads(
            $"POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: {first}\r\ncontent-length: {second}\r\n\r\nhello",
            stopped: true,
            ("POST", "/two", ContentLengthRefused));

    [Fact]
    public void With_a_chunked_transfer_encoding_balsa_ignores_a_bad_content_length() =>
        // The request is still refused, by Envoy's Transfer-Encoding plus Content-Length rule (RequestCanonicalizer).
        AssertHeads(
            "POST /a HTTP/1.1\r\nContent-Length: +5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /b HTTP/1.1\r\n\r\n",
            stopped: false,
            ("POST", "/a", Clean), ("GET", "/b", Clean));

    [Fact]
    public void With_a_chunked_transfer_encoding_a_second_content_length_is_still_refused() =>
        AssertHeads(
            "POST /a HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            stopped: true,
            ("POST", "/a", ContentLengthRefused));

    [Fact]
    public void A_transfer_encoding_balsa_does_not_read_as_chunked_leaves_the_content_length_checked() =>
        // Balsa reads only the last Transfer-Encoding line, whole: "identity, chunked" is not "chunked".
        AssertHeads(
            "POST /a HTTP/1.1\r\nContent-Length: +5\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n",
            stopped: true,
            ("POST", "/a", ContentLengthRefused));

    [Fact]
    public void Lines_ending_in_a_bare_lf_and_empty_lines_before_a_request_are_followed_as_kestrel_reads_them() =>
        AssertHeads(
            "\r\n\nGET /a HTTP/1.1\nHost: x\n\nPOST /b HTTP/1.1\nContent-Length: 2\n\nokGET /c HTTP/1.1\r\nContent-Length: +5\n\n",
            stopped: true,
            ("GET", "/a", Clean), ("POST", "/b", Clean), ("GET", "/c", ContentLengthRefused));

    [Fact]
    public void An_upgrade_request_has_no_body_and_the_requests_after_it_are_still_judged() =>
        // Kestrel keeps serving requests after an upgrade request that was not answered 101 (an h2c upgrade, a backend
        // that declines): they are followed, or one header would switch the check off for the rest of the connection.
        AssertHeads(
            "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" +
            "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello",
            stopped: true,
            ("GET", "/ws", Clean), ("POST", "/x", ContentLengthRefused));

    [Fact]
    public void After_an_upgrade_that_switched_protocols_nothing_is_recorded_for_the_frames() =>
        // A masked WebSocket text frame, then a close frame: not HTTP, so no head and the tracker stops at the line.
        AssertHeads(
            "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n" +
            "\u0081\u0085\u0037\u00fa\u0021\u003d\u007f\u009f\u004d\u0051\u0058\n\u0088\u0080\u0001\u0002\u0003\u0004",
            stopped: true,
            ("GET", "/ws", Clean));

    [Fact]
    public void A_connect_request_ends_the_watch() =>
        AssertHeads(
            "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n\r\n",
            stopped: true,
            ("CONNECT", "x:443", Clean));

    [Theory]
    [InlineData("5;a\nb\r\nhello\r\n0\r\n\r\n")] // a lone LF in an extension
    [InlineData("5;a\rb\r\nhello\r\n0\r\n\r\n")] // a lone CR in an extension
    [InlineData("000000005\r\nhello\r\n0\r\n\r\n")] // nine hex digits (Kestrel reads eight)
    [InlineData("80000000\r\n")] // beyond Kestrel's int chunk size
    [InlineData("\r\nhello\r\n0\r\n\r\n")] // no size
    [InlineData("5\nhello\r\n0\r\n\r\n")] // a bare LF after the size
    [InlineData("5\r\nhelloXX\r\n0\r\n\r\n")] // data not followed by CRLF
    [InlineData("g\r\n")] // not hex
    public void A_chunked_body_kestrel_would_refuse_or_frame_differently_ends_the_watch(string body) =>
        AssertHeads(
            $"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{body}GET /after HTTP/1.1\r\n\r\n",
            stopped: true,
            ("POST", "/c", Clean));

    [Fact]
    public void A_transfer_encoding_whose_last_coding_is_not_chunked_ends_the_watch_after_its_head() =>
        // Kestrel refuses it (HttpHeaders.GetFinalTransferCoding); the gateway answers 501 first if Kestrel lets it by.
        AssertHeads(
            "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\nGET /after HTTP/1.1\r\n\r\n",
            stopped: true,
            ("POST", "/c", Clean));

    [Theory]
    [InlineData("X-Folded: a\r\n b\r\n")] // obs-fold
    [InlineData("No colon here\r\n")]
    [InlineData(": empty name\r\n")]
    public void A_head_kestrel_refuses_ends_the_watch(string header) =>
        AssertHeads(
            $"GET /ok HTTP/1.1\r\n\r\nPOST /c HTTP/1.1\r\n{header}\r\n0\r\n\r\nGET /after HTTP/1.1\r\n\r\n",
            stopped: true,
            ("GET", "/ok", Clean));

    [Theory]
    [InlineData("GET\r\n")]
    [InlineData("GET /\r\n")]
    [InlineData(" GET / HTTP/1.1\r\n")]
    public void A_request_line_without_method_target_and_version_ends_the_watch(string line) =>
        AssertHeads(line + "Host: x\r\n\r\n", stopped: true);

    [Fact]
    public void A_line_longer_than_kestrel_accepts_ends_the_watch() =>
        AssertHeads(
            $"GET /a HTTP/1.1\r\nX-Big: {new string('a', RequestCanonicalizer.MaxHeadersBytes + 2048)}\r\n\r\n",
            stopped: true);

    [Fact]
    public void Many_headers_across_many_reads_are_followed() =>
        AssertHeads(
            "GET /a HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 90).Select(i => $"X-H{i}: {new string('v', 300)}\r\n")) +
            "Content-Length: 1\r\n\r\nxGET /b HTTP/1.1\r\nContent-Length: -0\r\n\r\n",
            stopped: true,
            ("GET", "/a", Clean), ("GET", "/b", ContentLengthRefused));

    [Fact]
    public void A_head_is_identified_by_its_method_and_target_as_sent() =>
        AssertHeads(
            "GET http://x/abs?q=1 HTTP/1.1\r\nHost: x\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\nGET /caf\u00e9 HTTP/1.1\r\n\r\n",
            stopped: false,
            ("GET", "http://x/abs?q=1", Clean), ("OPTIONS", "*", Clean), ("GET", "/caf\u00e9", Clean));

    [Fact]
    public void A_request_that_does_not_match_the_next_head_gets_no_verdict_and_ends_the_connections_verdicts()
    {
        var verdicts = new Http1HeadVerdicts();
        using var tracker = new Http1FramingTracker(verdicts);
        tracker.Observe("POST /a HTTP/1.1\r\nContent-Length: +5\r\n\r\n"u8);

        Assert.Equal(Unknown, verdicts.Take("POST", "/b"));
        Assert.True(verdicts.Abandoned);
        Assert.Equal(Unknown, verdicts.Take("POST", "/a"));
    }

    [Fact]
    public void Verdicts_nobody_takes_do_not_pile_up()
    {
        var verdicts = new Http1HeadVerdicts();
        using var tracker = new Http1FramingTracker(verdicts);
        for (var i = 0; i < 9; i++)
        {
            tracker.Observe("GET / HTTP/1.1\r\n\r\n"u8);
        }

        Assert.True(verdicts.Abandoned);
        Assert.Equal(Unknown, verdicts.Take("GET", "/"));
    }

    [Fact]
    public void A_connection_without_any_head_yet_has_no_verdict()
    {
        var verdicts = new Http1HeadVerdicts();

        Assert.Equal(Unknown, verdicts.Take("GET", "/"));
    }

    // Feeds the bytes whole, byte by byte, cut at every point and, for short inputs, cut at every pair of points (long
    // ones are cut at points spread over them); each time the same heads must come out, in order, and nothing else.
    private static void AssertHeads(string wire, bool stopped, params (string Method, string Target, Http1HeadVerdict Verdict)[] heads)
    {
        var bytes = Encoding.Latin1.GetBytes(wire);
        foreach (var (name, cuts) in Cuts(bytes.Length))
        {
            var verdicts = new Http1HeadVerdicts();
            using var tracker = new Http1FramingTracker(verdicts);
            var start = 0;
            foreach (var cut in cuts.Append(bytes.Length))
            {
                tracker.Observe(bytes.AsSpan(start, cut - start));
                start = cut;
            }

            Assert.True(heads.Length == verdicts.Waiting, $"fed {name}: {verdicts.Waiting} heads instead of {heads.Length}");
            foreach (var (method, target, verdict) in heads)
            {
                // A target with bytes above 0x7F is identified by its method only (Kestrel decodes such targets).
                Assert.True(verdict == verdicts.Take(method, target), $"{method} {target} fed {name}: expected {verdict}");
            }

            Assert.True(stopped == tracker.Stopped, $"fed {name}: stopped should be {stopped}");
        }
    }

    private static IEnumerable<(string Name, int[] Cuts)> Cuts(int length)
    {
        yield return ("whole", []);
        yield return ("byte by byte", Enumerable.Range(1, Math.Max(0, length - 1)).ToArray());
        var step = length <= 4096 ? 1 : length / 997;
        for (var i = 1; i < length; i += step)
        {
            yield return ($"cut at {i}", [i]);
            if (length > 600)
            {
                continue;
            }

            for (var j = i + 1; j < length; j++)
            {
                yield return ($"cut at {i} and {j}", [i, j]);
            }
        }
    }
}

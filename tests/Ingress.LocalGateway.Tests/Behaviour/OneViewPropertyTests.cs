using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CsCheck;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// Generated requests (paths mixing <c>.</c>, <c>..</c>, <c>%2e</c>, <c>%5c</c>, <c>\</c>, <c>//</c>, <c>;</c>, <c>?</c>,
/// <c>#</c>, percent-encoded unreserved characters, and methods in every casing) sent over real sockets, HTTP/1.1 and
/// HTTP/2, through the config of <see cref="OneRequestOneViewTests"/>. For each one, the route that answered, the
/// policy's verdict and what the backend received must all be that one request as normalized once: the expectation is
/// computed by an independent model of Istio's BASE normalization (RFC 3986 dot segments after decoding the unreserved
/// escapes), not by the gateway's code. A request the DENY matches reaches no backend.
/// </summary>
public sealed class OneViewPropertyTests : IAsyncLifetime
{
    private const int RequestsPerProtocol = 5000;
    private RecordingBackend _admin = null!;
    private RecordingBackend _public = null!;
    private RecordingBackend _metrics = null!;
    private GatewayHarness _gateway = null!;
    private readonly ConcurrentDictionary<string, (string Backend, string Method, string Target)> _expected = new();
    private int _next;

    public async Task InitializeAsync()
    {
        _admin = await RecordingBackend.StartAsync("admin");
        _public = await RecordingBackend.StartAsync("public");
        _metrics = await RecordingBackend.StartAsync("metrics");
        _gateway = await GatewayHarness.StartAsync(OneRequestOneViewTests.Routes + "\n" + OneRequestOneViewTests.DenyAdminAndDelete,
        [
            $"admin.default.svc.cluster.local:80=http://127.0.0.1:{_admin.Port}",
            $"public.default.svc.cluster.local:80=http://127.0.0.1:{_public.Port}",
            $"metrics.default.svc.cluster.local:80=http://127.0.0.1:{_metrics.Port}",
        ], configure: o => o with { AccessLog = AccessLogFormat.Off });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _admin.DisposeAsync();
        await _public.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    private static readonly string[] Segments =
    [
        "admin", "test", "hello", "metrics", "a", "x", "%61dmin", "%74est", "he%6Clo", "%6detrics", "%41", "%7e",
        ".", "..", "%2e", "%2E%2e", ".%2e", "%2e.", "..;p", ".;p", "a;p=1", "", "%2f", "%5c", "b%20c",
    ];

    private static Gen<Probe> Probes(bool http1) =>
        Gen.Select(
            Gen.OneOf(Segments).Array[1, 7],
            Gen.OneOf(http1 ? new[] { "/", "/", "/", "\\" } : new[] { "/" }).Array[7],
            Gen.OneOf(http1 ? new[] { "", "", "?q=1", "?a=/../admin", "#frag", "?x=1#y" } : new[] { "", "", "?q=1", "?a=/../admin" }),
            Gen.OneOf(http1 ? new[] { "GET", "GET", "POST", "DELETE", "PUT", "get", "Delete", "dElEtE", "post" } : new[] { "GET", "GET", "POST", "DELETE", "purge", "Purge" }),
            (segments, separators, suffix, method) =>
            {
                // The target starts with '/' (origin form): Kestrel refuses anything else with 400 before the gateway
                // sees it, as Envoy refuses it with 404 absolute_path_rejected.
                var path = new StringBuilder();
                for (var i = 0; i < segments.Length; i++)
                {
                    path.Append(i == 0 ? "/" : separators[i]).Append(segments[i]);
                }

                return new Probe(method, path + suffix);
            });

    [Fact]
    public async Task Over_http1_every_request_is_routed_judged_and_forwarded_as_one_normalized_request()
    {
        await Probes(http1: true).SampleAsync(async probe =>
        {
            var id = Id();
            var reply = await RawExchange.SendAsync(_gateway.Address(80),
                $"{probe.Method} {probe.Target} HTTP/1.1\r\nHost: x\r\nx-probe: {id}\r\nConnection: close\r\n\r\n");
            Check(probe, id, int.Parse(reply.StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), reply.Body);
        }, iter: RequestsPerProtocol, threads: 8, print: p => p.ToString());

        AssertBackendsSawOnlyExpected();
    }

    [Fact]
    public async Task Over_http2_every_request_is_routed_judged_and_forwarded_as_one_normalized_request()
    {
        var client = _gateway.Client(80);
        await Probes(http1: false).SampleAsync(async probe =>
        {
            var id = Id();
            using var request = new HttpRequestMessage(new HttpMethod(probe.Method),
                new Uri("http://x" + probe.Target, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Add("x-probe", id);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Check(probe, id, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }, iter: RequestsPerProtocol, threads: 8, print: p => p.ToString());

        AssertBackendsSawOnlyExpected();
    }

    private string Id() => Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Check(Probe probe, string id, int status, string body)
    {
        var expected = Expect(probe);
        Assert.True(expected.Status == status, $"{probe}: expected {expected.Status}, got {status} {body}");
        if (expected.Backend is not null)
        {
            Assert.Equal($"{expected.Backend} {expected.Target}", body);
            _expected[id] = (expected.Backend, probe.Method, expected.Target!);
        }
    }

    // What every backend recorded is exactly what was expected of it: the admin service saw nothing (all of /admin is
    // denied), no backend saw DELETE or a method in lower case, and each request went where the model says.
    private void AssertBackendsSawOnlyExpected()
    {
        Assert.Empty(_admin.Requests);
        foreach (var backend in new[] { _public, _metrics })
        {
            foreach (var seen in backend.Requests)
            {
                var id = seen.Header("x-probe")!;
                Assert.True(_expected.TryGetValue(id, out var want), $"{backend.Name} got {seen.Method} {seen.PathAndQuery} for an unexpected probe {id}");
                Assert.Equal((want.Backend, want.Method, want.Target), (backend.Name, seen.Method, seen.PathAndQuery));
            }
        }

        Assert.Equal(_expected.Count, _public.Requests.Count + _metrics.Requests.Count);
    }

    /// <summary>Where a request must end up, by the model: status, backend and the target it receives.</summary>
    private static (int Status, string? Backend, string? Target) Expect(Probe probe)
    {
        if (probe.Method.Any(char.IsAsciiLetterLower))
        {
            return (400, null, null);
        }

        var (path, query) = NormalizeBase(probe.Target);
        if (path.StartsWith("/admin", StringComparison.Ordinal) || probe.Method == "DELETE")
        {
            return (403, null, null);
        }

        if (path == "/test/hello")
        {
            return (200, "public", "/hello" + query);
        }

        if (path.StartsWith("/test/metrics", StringComparison.Ordinal))
        {
            return (200, "metrics", "/metrics" + path["/test/metrics".Length..] + query);
        }

        return (200, "public", path + query);
    }

    /// <summary>
    /// An independent model of Istio's BASE normalization for the generated alphabet: the fragment cut,
    /// <c>..;x</c>/<c>.;x</c> segments read as dot segments, backslashes made slashes, unreserved escapes and <c>%2e</c> decoded, then
    /// RFC 3986 section 5.2.4 remove_dot_segments. The query is kept as sent.
    /// </summary>
    private static (string Path, string Query) NormalizeBase(string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            target = target[..hash];
        }

        var q = target.IndexOf('?', StringComparison.Ordinal);
        var query = q >= 0 ? target[q..] : "";
        // Path parameters on dot segments are read on the raw path split at '/' only (Envoy strips them before it
        // canonicalizes, when a backslash is not a separator yet); then backslashes are slashes.
        var raw = q >= 0 ? target[..q] : target;
        var segments = raw.Split('/').Select(s => s.StartsWith("..;", StringComparison.Ordinal) ? ".." : s.StartsWith(".;", StringComparison.Ordinal) ? "." : s);
        var decoded = string.Join('/', string.Join('/', segments).Replace('\\', '/').Split('/').Select(DecodeUnreserved));
        var output = new List<string>();
        var parts = decoded.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            switch (parts[i])
            {
                case ".":
                    if (last)
                    {
                        output.Add("");
                    }

                    break;
                case "..":
                    if (output.Count > 0)
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    if (last)
                    {
                        output.Add("");
                    }

                    break;
                default:
                    output.Add(parts[i]);
                    break;
            }
        }

        return ("/" + string.Join('/', output), query);
    }

    private static string DecodeUnreserved(string segment)
    {
        var result = new StringBuilder();
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '%' && i + 2 < segment.Length
                && byte.TryParse(segment.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var value)
                && (char.IsAsciiLetterOrDigit((char)value) || (char)value is '-' or '.' or '_' or '~'))
            {
                result.Append((char)value);
                i += 2;
            }
            else
            {
                result.Append(segment[i]);
            }
        }

        return result.ToString();
    }

    public sealed record Probe(string Method, string Target)
    {
        public override string ToString() => $"{Method} {Target}";
    }
}

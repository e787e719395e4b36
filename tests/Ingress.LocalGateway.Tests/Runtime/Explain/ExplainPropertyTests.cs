using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Runtime.Explain;
using Ingress.LocalGateway.Tests.Behaviour;
using Ingress.LocalGateway.Tests.Infrastructure;
using Ingress.LocalGateway.Tests.Security;

namespace Ingress.LocalGateway.Tests.Runtime.Explain;

/// <summary>
/// <c>ingress explain</c> and the gateway never disagree: generated requests (paths, hosts, SNI, headers, methods,
/// tokens) against the seed, the kit's local overlay and the acceptance fixture go both through
/// <see cref="RequestExplainer"/> and, over real sockets (TLS with the chosen SNI), through a running gateway with
/// recording backends. What explain predicts (refused connection, or status and body of a local reply, or the route,
/// the path and Host the backend receives and, for an unweighted route, which backend) is what the gateway did.
/// </summary>
public sealed class ExplainPropertyTests
{
    private const int Requests = 300;

    private static readonly string[] Segments =
        ["test", "hello", "metrics", "secure", "fault", "healthz", "chain", "admin", "x", "", "..", ".", "%2e", "he%6Clo", "HELLO"];

    // Paths the configs route, and near misses of them, mixed half and half with paths built of random segments.
    private static readonly string[] Known =
    [
        "/test/hello", "/test/hello/", "/test/./hello", "/test/%68ello", "/test/metrics", "/test/metrics/x", "/test/secure",
        "/test/fault", "/healthz", "/test/chain", "/admin/x", "/test/../test/hello",
    ];

    [Fact]
    public async Task The_seed_explained_is_the_seed_served()
    {
        var certificate = TestCertificates.SelfSigned("CN=httpsserver.kuopenx.io");
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Seed, "httpserver-virtualservice-gateway.yaml")) + "\n---\n" +
                   TestCertificates.KubectlTlsSecretYaml("httpserver-credential", "istio-system", certificate);
        await using var backend = await RecordingBackend.StartAsync("httpserver");
        await CheckAsync(yaml, "istio-system", [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{backend.Port}"],
            [backend], https: [443], http: [], hosts: ["httpsserver.kuopenx.io", "httpsserver.kuopenx.io:443", "other.kuopenx.io"],
            tokens: [null]);
    }

    [Fact]
    public async Task The_local_overlay_explained_is_the_local_overlay_served()
    {
        var certificate = TestCertificates.SelfSigned("CN=httpsserver.kuopenx.io");
        // The backends here speak plain HTTP: the kit's ISTIO_MUTUAL toward the service is left out (explain predicts
        // the gateway's decisions, not an upstream handshake), the rest of the overlay is served as `ingress up` does.
        var overlay = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "rendered", "local.yaml"))
            .Replace("    tls:\n      mode: ISTIO_MUTUAL\n", "", StringComparison.Ordinal);
        var yaml = overlay + "\n---\n" + TestCertificates.KubectlTlsSecretYaml("httpserver-credential", "istio-system", certificate);
        await using var v1 = await RecordingBackend.StartAsync("v1");
        await using var v2 = await RecordingBackend.StartAsync("v2");
        await using var chain = await RecordingBackend.StartAsync("service0");
        using var issuer = TestIssuer.RsaFromPem(Path.Combine(RepoPaths.Root, "tests", "fixtures", "jwt", "test-only-private-key.pem"),
            "https://local-test-issuer.httpserver.test", "httpserver-local-test");
        using var stranger = TestIssuer.Rsa("https://local-test-issuer.httpserver.test", "httpserver-local-test");
        await CheckAsync(yaml, "default",
            [
                $"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{v1.Port};version=v1",
                $"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{v2.Port};version=v2",
                $"service0.httpserver.svc.cluster.local:80=http://127.0.0.1:{chain.Port}",
            ],
            [v1, v2, chain], https: [443], http: [80], hosts: ["httpsserver.kuopenx.io", "HTTPSSERVER.kuopenx.io:8443", "other.kuopenx.io"],
            tokens: [null, issuer.Token(), stranger.Token(), issuer.Token(new { aud = "someone-else" }), "not.a.token"],
            headers: [null, ("x-canary", "true")]);
    }

    [Fact]
    public async Task The_acceptance_fixture_explained_is_the_fixture_served()
    {
        await using var admin = await RecordingBackend.StartAsync("admin");
        await using var open = await RecordingBackend.StartAsync("public");
        await using var metrics = await RecordingBackend.StartAsync("metrics");
        await CheckAsync(OneRequestOneViewTests.Routes + "\n" + OneRequestOneViewTests.DenyAdminAndDelete, "default",
            [
                $"admin.default.svc.cluster.local:80=http://127.0.0.1:{admin.Port}",
                $"public.default.svc.cluster.local:80=http://127.0.0.1:{open.Port}",
                $"metrics.default.svc.cluster.local:80=http://127.0.0.1:{metrics.Port}",
            ],
            [admin, open, metrics], https: [], http: [80], hosts: ["x", "anything.example:80"], tokens: [null]);
    }

    private sealed record Probe(int Port, bool Tls, string Method, string Host, string? Sni, string Target, string? Token,
        (string Name, string Value)? Header)
    {
        public override string ToString() =>
            $"{Method} {(Tls ? "https" : "http")}://[port {Port}] {Target} Host: {Host} SNI: {Sni ?? "-"} token: {(Token is null ? "-" : "yes")} {Header}";
    }

    private static async Task CheckAsync(string yaml, string defaultNamespace, string[] endpoints, RecordingBackend[] backends,
        int[] https, int[] http, string[] hosts, string?[] tokens, (string, string)?[]? headers = null)
    {
        await using var gateway = await GatewayHarness.StartAsync(yaml, endpoints, defaultNamespace,
            o => o with { AccessLog = AccessLogFormat.Json, AllowUnsupported = UnsupportedFields.All });
        var snapshot = gateway.Host.Snapshots.Current;
        var byPort = backends.ToDictionary(b => "127.0.0.1:" + b.Port, b => b);
        var ports = https.Select(p => (p, true)).Concat(http.Select(p => (p, false))).ToArray();
        var expected = new ConcurrentDictionary<string, (Probe Probe, RequestExplanation Explained)>();
        var next = 0;
        var refused = 0;
        var probes = Gen.Select(
            Gen.OneOf(ports.Select(Gen.Const).ToArray()),
            Gen.OneOf(Gen.OneOf(Known), Gen.OneOf(Segments).Array[1, 4].Select(segments => "/" + string.Join('/', segments))),
            Gen.OneOf("", "/", "?q=1", "#f"),
            Gen.OneOf("GET", "GET", "POST", "DELETE", "get"),
            Gen.OneOf(hosts),
            Gen.Int[0, 2],
            Gen.OneOf(tokens),
            Gen.OneOf(headers ?? [null]),
            (port, path, suffix, method, host, sniChoice, token, header) =>
            {
                var sni = !port.Item2 ? null : sniChoice switch
                {
                    0 => host.Split(':')[0].ToLowerInvariant(),
                    1 => null,
                    _ => "other.kuopenx.io",
                };
                return new Probe(port.Item1, port.Item2, method, host, sni, path + suffix, token, header);
            });

        await probes.SampleAsync(async probe =>
        {
            var id = Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sent = new List<KeyValuePair<string, string>> { new("user-agent", "probe-" + id), new("x-probe", id), new("connection", "close") };
            if (probe.Token is not null)
            {
                sent.Add(new("authorization", "Bearer " + probe.Token));
            }

            if (probe.Header is { } extra)
            {
                sent.Add(new(extra.Name, extra.Value));
            }

            var explained = await RequestExplainer.ExplainAsync(snapshot, new ExplainRequest
            {
                Method = probe.Method,
                Scheme = probe.Tls ? "https" : "http",
                Port = probe.Port,
                Authority = probe.Host,
                Target = probe.Target,
                Headers = sent,
                Sni = probe.Sni,
            });
            var wire = new StringBuilder($"{probe.Method} {probe.Target} HTTP/1.1\r\nHost: {probe.Host}\r\n");
            foreach (var (name, value) in sent)
            {
                wire.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            ExchangeReply? reply;
            try
            {
                reply = await RawExchange.SendAsync(gateway.Address(probe.Port), wire.Append("\r\n").ToString(), probe.Tls ? probe.Sni ?? "" : null);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                reply = null;
            }

            var outcome = explained.Outcome;
            if (reply is null || reply.StatusLine.Length == 0)
            {
                Assert.True(outcome.Kind == OutcomeKinds.ConnectionRefused, $"{probe}: the gateway refused the connection, explain said {outcome.Kind}");
                Interlocked.Increment(ref refused);
                return;
            }

            Assert.True(outcome.Kind != OutcomeKinds.ConnectionRefused, $"{probe}: explain said refused ({outcome.Refusal}), the gateway answered {reply.StatusLine}");
            var status = int.Parse(reply.StatusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            if (outcome.Kind == OutcomeKinds.LocalReply)
            {
                Assert.True(outcome.Status == status && outcome.Body == reply.Body,
                    $"{probe}: explain said {outcome.Status} '{outcome.Body}', the gateway answered {status} '{reply.Body}'");
                Assert.Equal(outcome.Location, reply.Header("location"));
            }
            else
            {
                Assert.True(status == 200, $"{probe}: explain said forwarded, the gateway answered {status} {reply.Body}");
            }

            expected[id] = (probe, explained);
        }, iter: Requests, threads: 4, print: p => p.ToString());

        // The generated requests reach every kind of outcome (so the comparison below is not vacuous).
        Assert.Contains(expected.Values, e => e.Explained.Outcome.Kind == OutcomeKinds.Forwarded);
        Assert.Contains(expected.Values, e => e.Explained.Outcome.Kind == OutcomeKinds.LocalReply);
        Assert.True(https.Length == 0 || refused > 0, "no generated request had its TLS handshake refused");

        // What each backend received is what explain said it would: the path, the Host and, for an unweighted route,
        // the backend itself; and nothing explain called a local reply reached any backend.
        var forwarded = expected.Where(e => e.Value.Explained.Outcome.Kind == OutcomeKinds.Forwarded).ToDictionary(e => e.Key, e => e.Value);
        var received = backends.SelectMany(b => b.Requests.Select(r => (Backend: b, Request: r))).ToList();
        Assert.Equal(forwarded.Count, received.Count);
        foreach (var (backend, seen) in received)
        {
            var id = seen.Header("x-probe")!;
            Assert.True(forwarded.TryGetValue(id, out var want), $"{backend.Name} got {seen.Method} {seen.PathAndQuery} for probe {id}, which explain did not forward");
            var f = want.Explained.Outcome.Forwarded!;
            Assert.True((f.Method, f.PathAndQuery, f.Host) == (seen.Method, seen.PathAndQuery, seen.Host),
                $"{want.Probe}: explain said {f.Method} {f.PathAndQuery} Host {f.Host}, {backend.Name} got {seen.Method} {seen.PathAndQuery} Host {seen.Host}");
            var destinations = want.Explained.Action!.Destinations;
            // One destination with one endpoint: that backend. Otherwise the weights or the balancer draw per request, and
            // explain names the candidates.
            var allowed = destinations.Count == 1 && f.EndpointCount == 1 ? [f.Endpoint] : destinations.SelectMany(d => d.Endpoints).ToList();
            Assert.True(allowed.Any(e => byPort[e] == backend), $"{want.Probe}: explain said {string.Join(" or ", allowed)}, {backend.Name} got it");
        }

        // The route the access log names is the route explain said matched.
        var lines = await AccessLogAsync(gateway, expected.Count);
        foreach (var (id, (probe, explained)) in expected)
        {
            var line = lines[id];
            var route = explained.Routes.FirstOrDefault(r => r.Result == RouteResults.Matched);
            var logged = line.TryGetProperty("route_name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
            Assert.True((route is null || route.Name.Length == 0 ? null : route.Name) == logged,
                $"{probe}: explain said route '{route?.Name}', the access log says '{logged}'");
        }
    }

    // The access log line of every probe, by probe id (the user agent), waited for with a deadline.
    private static async Task<Dictionary<string, JsonElement>> AccessLogAsync(GatewayHarness gateway, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = gateway.AccessLog.Lines.Select(l => JsonDocument.Parse(l).RootElement)
                .Where(l => l.TryGetProperty("user_agent", out var ua) && ua.GetString()?.StartsWith("probe-", StringComparison.Ordinal) == true)
                .ToDictionary(l => l.GetProperty("user_agent").GetString()!["probe-".Length..]);
            if (lines.Count >= count || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(20);
        }
    }
}

using System.Net;
using Ingress.Cli.Tests.Commands;

namespace Ingress.Cli.Tests.Gateway;

/// <summary>
/// Issue 14, "noise": a 503 to a stopped backend is one line in the gateway's log (flags, upstream, error), not the
/// ~5 KB stack trace YARP writes per attempt. Checked on the real process's stderr.
/// </summary>
public sealed class UpstreamFailureLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upstream-log").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Each_request_to_a_stopped_backend_logs_one_line_with_flags_upstream_and_error()
    {
        // A plain-text cluster: the gateway's own HTTP/1.1 client forwards it (docs/gateway.md), so the error is its words.
        var file = Path.Combine(_dir, "web.yaml");
        await File.WriteAllTextAsync(file, GatewayCommandTests.HttpGatewayYaml + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: ["*"]
              gateways: [web]
              http:
              - route: [{destination: {host: web.default.svc.cluster.local, port: {number: 80}}}]
            """);
        var (port, admin, stopped) = (IngressProcess.FreePort(), IngressProcess.FreePort(), IngressProcess.FreePort());
        using var gateway = IngressProcess.Start(["gateway", "-f", file, "--listen", $"80=127.0.0.1:{port}",
            "--admin", $"127.0.0.1:{admin}", "--endpoint", $"web.default.svc.cluster.local:80=http://127.0.0.1:{stopped}"]);
        using var http = new HttpClient();
        await gateway.WaitUntilReadyAsync(http, admin);

        foreach (var path in new[] { "/first", "/second" })
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}{path}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        gateway.Signal("TERM");
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var failures = gateway.Error.Split('\n').Where(l => l.Contains("Upstream failure", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        foreach (var (line, path) in failures.Zip(new[] { "/first", "/second" }))
        {
            Assert.EndsWith(
                $" warn: Ingress.LocalGateway.Runtime.Forwarding.ForwardingStage[1101] Upstream failure UF,URX: GET 127.0.0.1:{port}{path} -> " +
                $"127.0.0.1:{stopped} (outbound|80||web.default.svc.cluster.local): " +
                "upstream_reset_before_response_started{connection_failure}: HTTP/1.1 upstream ConnectFailure: upstream_connect_error{ConnectionRefused}",
                line, StringComparison.Ordinal);
        }

        // No stack trace: no exception type and no frame ("   at Type.Method(...)"), on a line of its own or not.
        Assert.DoesNotContain("Exception", gateway.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\s+at \S+\(", gateway.Error);
    }
}

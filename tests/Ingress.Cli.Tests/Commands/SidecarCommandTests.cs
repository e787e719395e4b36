using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Ingress.Cli.Commands;
using Ingress.LocalGateway.Runtime.Security.Mtls;

namespace Ingress.Cli.Tests.Commands;

/// <summary>The <c>ingress sidecar</c> command, run in-process with real sockets and real mutual TLS.</summary>
public sealed class SidecarCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sidecar-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private const string StrictAndOnlyTheGateway = """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: httpserver}
        spec:
          mtls: {mode: STRICT}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: only-gateway, namespace: httpserver}
        spec:
          selector: {matchLabels: {app: httpserver}}
          action: ALLOW
          rules:
          - from:
            - source: {principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]}
        """;

    [Fact]
    public async Task Sidecar_enforces_strict_and_the_workload_policy_until_cancelled_then_exits_0()
    {
        var file = Write("mesh.yaml", StrictAndOnlyTheGateway);
        var meshCa = Path.Combine(_dir, "mesh-ca");
        var port = FreePort();
        var output = new StringWriter();
        var root = new RootCommand { SidecarCommand.Create(output, TextWriter.Null, TextReader.Null) };
        using var stop = new CancellationTokenSource();
        var run = root.Parse(["sidecar", "-f", file, "--workload", "httpserver/httpserver", "--label", "app=httpserver",
            "--listen", $"127.0.0.1:{port}", "--forward", $"http://127.0.0.1:{FreePort()}", "--port", "8080", "--mesh-ca", meshCa])
            .InvokeAsync(new InvocationConfiguration(), stop.Token);

        // The CA folder appears with the root once the sidecar has started; a caller's identity is issued from it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage? denied = null;
        while (DateTime.UtcNow < deadline && denied is null)
        {
            if (!File.Exists(Path.Combine(meshCa, "root-cert.pem")))
            {
                await Task.Delay(50);
                continue;
            }

            try
            {
                using var ca = MeshCa.LoadOrCreate(meshCa);
                using var intruder = new HttpClient(MeshClientTls.CreateHandler(
                    new WorkloadCertificate(ca, "spiffe://cluster.local/ns/httpserver/sa/intruder", TimeSpan.FromHours(1)),
                    System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(ca.Root.RawData)));
                denied = await intruder.GetAsync($"https://127.0.0.1:{port}/hello");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        using var plain = new HttpClient();
        var plainRefused = await Record.ExceptionAsync(() => plain.GetAsync($"http://127.0.0.1:{port}/hello"));
        await stop.CancelAsync();

        Assert.Equal(HttpStatusCode.Forbidden, denied?.StatusCode);
        Assert.Equal("RBAC: access denied", await denied!.Content.ReadAsStringAsync());
        Assert.IsType<HttpRequestException>(plainRefused);
        Assert.Equal(0, await run);
        Assert.StartsWith(
            $"sidecar spiffe://cluster.local/ns/httpserver/sa/httpserver: inbound 127.0.0.1:{port} -> http://127.0.0.1:",
            output.ToString());
        Assert.Contains("(mTLS STRICT on port 8080)", output.ToString());
    }

    [Fact]
    public async Task Sidecar_refuses_a_config_with_errors_and_exits_79_naming_the_file_and_line()
    {
        var file = Write("bad.yaml", "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default}\nspec:\n  mtls: 3\n");
        var error = new StringWriter();
        var root = new RootCommand { SidecarCommand.Create(TextWriter.Null, error, TextReader.Null) };

        var code = await root.Parse(["sidecar", "-f", file, "--workload", "httpserver/httpserver", "--listen", $"127.0.0.1:{FreePort()}",
            "--forward", "http://127.0.0.1:5080", "--mesh-ca", Path.Combine(_dir, "mesh-ca")]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(79, code);
        Assert.Contains($"{file}:5", error.ToString());
        Assert.Contains("error: the configuration has errors; fix them and start again", error.ToString());
    }

    [Fact]
    public async Task Sidecar_rejects_malformed_options_with_exit_64_naming_each()
    {
        var file = Write("mesh.yaml", StrictAndOnlyTheGateway);
        var error = new StringWriter { NewLine = "\n" };
        var root = new RootCommand { SidecarCommand.Create(TextWriter.Null, error, TextReader.Null) };

        var code = await root.Parse(["sidecar", "-f", file, "--workload", "httpserver", "--label", "app", "--listen", "nowhere",
            "--forward", "http://10.0.0.5:8080", "--outbound", "127.0.0.1:1", "--cert-lifetime", "1s"]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(64, code);
        Assert.Equal(
            "error: --workload 'httpserver': expected <namespace>/<serviceaccount>, e.g. httpserver/httpserver\n" +
            "error: --label 'app': expected <key>=<value>, e.g. app=httpserver\n" +
            "error: --listen 'nowhere': expected <ip:port>, e.g. 127.0.0.1:15006\n" +
            "error: --forward 'http://10.0.0.5:8080': expected the service's http:// URL on loopback, e.g. http://127.0.0.1:8080 (a sidecar reaches its own service only)\n" +
            "error: --outbound '127.0.0.1:1': expected <ip:port>=<url>, e.g. 127.0.0.1:15001=https://127.0.0.1:15007\n" +
            "error: --cert-lifetime '1s': expected a duration of at least 2s such as 24h, 30m or 90s\n",
            error.ToString());
    }
}

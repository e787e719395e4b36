using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Ingress.Cli.Commands;

namespace Ingress.Cli.Tests.Gateway;

/// <summary>The <c>ingress gateway</c> and <c>ingress routes</c> commands, run in-process with real sockets.</summary>
public sealed class GatewayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-cli").FullName;

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

    /// <summary>A Gateway <c>web</c> serving every host over HTTP on port 80.</summary>
    internal const string HttpGatewayYaml = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: web}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]

        """;

    internal const string DirectResponseYaml = HttpGatewayYaml + """
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: web}
        spec:
          hosts: ["*"]
          gateways: [web]
          http:
          - match: [{uri: {exact: /hi}}]
            directResponse: {status: 200, body: {string: hi there}}
        """;

    [Fact]
    public async Task Gateway_serves_until_cancelled_then_exits_0_with_the_access_log_on_stdout()
    {
        var file = Write("web.yaml", DirectResponseYaml);
        var port = FreePort();
        var admin = FreePort();
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { GatewayCommand.Create(output, error, TextReader.Null) };
        using var stop = new CancellationTokenSource();
        var run = root.Parse(["gateway", "-f", file, "--listen", $"80=127.0.0.1:{port}", "--admin", $"127.0.0.1:{admin}"])
            .InvokeAsync(new InvocationConfiguration(), stop.Token);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage? ready = null;
        while (DateTime.UtcNow < deadline && ready?.StatusCode != HttpStatusCode.OK)
        {
            try
            {
                ready = await http.GetAsync($"http://127.0.0.1:{admin}/ready");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(HttpStatusCode.OK, ready?.StatusCode);
        var response = await http.GetAsync($"http://127.0.0.1:{port}/hi");
        Assert.Equal("hi there", await response.Content.ReadAsStringAsync());
        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.Contains("\"GET /hi HTTP/1.1\" 200 - direct_response - \"-\" 0 8 ", output.ToString());
    }

    [Fact]
    public async Task Gateway_refuses_a_config_with_errors_and_exits_79_naming_the_file_and_line()
    {
        var file = Write("bad.yaml", "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: web}\nspec:\n  servers: 3\n");
        var error = new StringWriter();
        var root = new RootCommand { GatewayCommand.Create(TextWriter.Null, error, TextReader.Null) };

        var code = await root.Parse(["gateway", "-f", file, "--admin", $"127.0.0.1:{FreePort()}"]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(79, code);
        Assert.Contains($"{file}:5", error.ToString());
        Assert.Contains("error: the configuration has errors; fix them and start again", error.ToString());
    }

    [Fact]
    public async Task Gateway_rejects_a_malformed_endpoint_with_exit_64()
    {
        var file = Write("web.yaml", DirectResponseYaml);
        var error = new StringWriter();
        var root = new RootCommand { GatewayCommand.Create(TextWriter.Null, error, TextReader.Null) };

        var code = await root.Parse(["gateway", "-f", file, "--endpoint", "no-port=http://127.0.0.1:1"]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(64, code);
        Assert.Contains("error: --endpoint endpoint 'no-port=http://127.0.0.1:1': 'no-port' must be <service host>:<port> with a port in 1-65535", error.ToString());
    }

    [Theory]
    [InlineData(null, "//hi", 404)]
    [InlineData("MERGE_SLASHES", "//hi", 200)]
    [InlineData("BASE", "/x/../hi", 200)]
    [InlineData("NONE", "/x/../hi", 404)]
    public async Task Gateway_normalizes_paths_as_the_mesh_config_file_says(string? normalization, string path, int status)
    {
        var file = Write("web.yaml", DirectResponseYaml);
        var mesh = Write("istio-operator.yaml", normalization is null
            ? "apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {name: mesh}\nspec:\n  meshConfig: {accessLogFile: /dev/stdout}\n"
            : $"apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata: {{name: mesh}}\nspec:\n  meshConfig:\n    pathNormalization: {{normalization: {normalization}}}\n");
        var port = FreePort();
        var admin = FreePort();
        var root = new RootCommand { GatewayCommand.Create(TextWriter.Null, TextWriter.Null, TextReader.Null) };
        using var stop = new CancellationTokenSource();
        var run = root.Parse(["gateway", "-f", file, "--mesh-config", mesh, "--listen", $"80=127.0.0.1:{port}", "--admin", $"127.0.0.1:{admin}"])
            .InvokeAsync(new InvocationConfiguration(), stop.Token);
        using var http = new HttpClient();
        await WaitReady(http, admin);

        var response = await RawGet(port, path);

        Assert.Equal(status, response);
        await stop.CancelAsync();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Gateway_rejects_an_unknown_path_normalization_with_exit_64_and_the_values_allowed()
    {
        var file = Write("web.yaml", DirectResponseYaml);
        var error = new StringWriter();
        var root = new RootCommand { GatewayCommand.Create(TextWriter.Null, error, TextReader.Null) };

        var code = await root.Parse(["gateway", "-f", file, "--path-normalization", "STRICT"]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("error: --path-normalization 'STRICT': expected one of NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES", error.ToString());
    }

    private static async Task WaitReady(HttpClient http, int admin)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{admin}/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        Assert.Fail("the gateway did not become ready");
    }

    // The path as written (HttpClient would merge or resolve it itself); the status code of the reply.
    private static async Task<int> RawGet(int port, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream);
        var statusLine = await reader.ReadLineAsync() ?? "";
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Routes_prints_the_route_table_in_the_order_routes_are_tried()
    {
        var file = Write("web.yaml", DirectResponseYaml);
        var output = new StringWriter();
        var root = new RootCommand { RoutesCommand.Create(output, TextWriter.Null, TextReader.Null) };

        var code = await root.Parse(["routes", "-f", file]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(0, code);
        Assert.Equal(
            "listener 80 HTTP on 127.0.0.1:8080\n" +
            "  route config http.80\n" +
            "    host *\n" +
            "      1. exact:/hi => directResponse 200 (8 bytes)  (default/web spec.http[0].match[0])\n" +
            "paths normalized BASE\n",
            output.ToString());
    }

    [Fact]
    public async Task Routes_prints_json_like_the_admin_config_dump()
    {
        var file = Write("web.yaml", DirectResponseYaml);
        var output = new StringWriter();
        var root = new RootCommand { RoutesCommand.Create(output, TextWriter.Null, TextReader.Null) };

        var code = await root.Parse(["routes", "-f", file, "-o", "json"]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        var route = json.RootElement.GetProperty("listeners")[0].GetProperty("routeConfig").GetProperty("virtualHosts")[0]
            .GetProperty("routes")[0];
        Assert.Equal("exact:/hi", route.GetProperty("match").GetString());
        Assert.Equal("web:80/hi", route.GetProperty("operation").GetString());
    }

    // DirectResponseYaml plus a TCP route, which the local gateway does not implement.
    private const string TcpRouteYaml = DirectResponseYaml + """

          tcp:
          - route: [{destination: {host: db.default.svc.cluster.local, port: {number: 5432}}}]
        """;

    private const string UnsupportedHint =
        "error: 1 field(s) above are not implemented by the local gateway (ING0201): remove them, or pass " +
        "--allow-unsupported (every such field) or --allow-unsupported <field>,... (only those) to serve the rest " +
        "without them; see docs/gateway.md";

    [Fact]
    public async Task Gateway_refuses_a_field_it_does_not_implement_with_file_line_field_and_the_opt_out()
    {
        var file = Write("tcp.yaml", TcpRouteYaml);
        var line = TcpRouteYaml.Split('\n').ToList().FindIndex(l => l.StartsWith("  tcp:", StringComparison.Ordinal)) + 1;
        var error = new StringWriter { NewLine = "\n" };
        var root = new RootCommand { GatewayCommand.Create(TextWriter.Null, error, TextReader.Null) };

        var code = await root.Parse(["gateway", "-f", file, "--listen", $"80=127.0.0.1:{FreePort()}", "--admin", $"127.0.0.1:{FreePort()}"])
            .InvokeAsync(new InvocationConfiguration());

        Assert.Equal(79, code);
        Assert.Equal(
            $"Error [ING0201] (VirtualService default/web {file}:{line}) spec.tcp: TCP routes (spec.tcp) is not supported by the " +
            "local gateway: remove it, or start with --allow-unsupported to serve the rest without it; see docs/gateway.md\n" +
            UnsupportedHint + "\n" +
            "error: the configuration has errors; fix them and start again\n",
            error.ToString());
    }

    [Fact]
    public async Task Gateway_with_allow_unsupported_serves_the_rest()
    {
        var file = Write("tcp.yaml", TcpRouteYaml);
        var port = FreePort();
        var admin = FreePort();
        var root = new RootCommand { GatewayCommand.Create(TextWriter.Null, TextWriter.Null, TextReader.Null) };
        using var stop = new CancellationTokenSource();
        var run = root.Parse(["gateway", "-f", file, "--allow-unsupported", "--listen", $"80=127.0.0.1:{port}", "--admin", $"127.0.0.1:{admin}"])
            .InvokeAsync(new InvocationConfiguration(), stop.Token);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? body = null;
        while (body is null && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            try
            {
                body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/hi"));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.Equal("hi there", body);
    }

    [Theory]
    [InlineData(new string[0], 79)]
    [InlineData(new[] { "--allow-unsupported" }, 0)]
    [InlineData(new[] { "--allow-unsupported", "tcp" }, 0)]
    [InlineData(new[] { "--allow-unsupported", "retries,fault" }, 79)]
    public async Task Routes_refuses_unsupported_fields_unless_allowed(string[] allow, int expectedCode)
    {
        var file = Write("tcp.yaml", TcpRouteYaml);
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var root = new RootCommand { RoutesCommand.Create(output, error, TextReader.Null) };

        var code = await root.Parse(["routes", "-f", file, .. allow]).InvokeAsync(new InvocationConfiguration());

        Assert.Equal(expectedCode, code);
        var severity = expectedCode == 0 ? "Warning" : "Error";
        Assert.Contains($"{severity} [ING0201] (VirtualService default/web {file}:", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(expectedCode == 0 ? "" : UnsupportedHint + "\n", error.ToString());
    }
}

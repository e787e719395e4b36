using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Policies;

/// <summary>A gateway on port 80 for every host and a VirtualService whose http rules a test writes.</summary>
internal static class PolicyYaml
{
    public const string Gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---

        """;

    /// <summary>The YAML of the gateway and a VirtualService with these http rules (indented as list items).</summary>
    public static string With(string http) => Gateway + """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http:

        """ + http;

    /// <summary>Starts the gateway with the rules; <paramref name="endpoints"/> are <c>host:port=url</c> entries.</summary>
    public static Task<GatewayHarness> StartAsync(string http, params string[] endpoints) =>
        GatewayHarness.StartAsync(With(http), endpoints);

    /// <summary>An endpoint entry for <c>svc.default.svc.cluster.local:80</c> (or another service name).</summary>
    public static string Endpoint(RecordingBackend backend, string service = "svc") =>
        $"{service}.default.svc.cluster.local:80=http://127.0.0.1:{backend.Port}";

    /// <summary>A 127.0.0.1 port nothing listens on.</summary>
    public static int ClosedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Polls a condition with a deadline (no fixed sleeps).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(20);
        }
    }
}

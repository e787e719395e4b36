using System.Net;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Hosting;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// A field the local gateway does not implement refuses the config (serving without it would not be Istio's
/// behaviour), unless <c>--allow-unsupported</c> lets it be left out with a warning.
/// </summary>
public sealed class UnsupportedFieldTests
{
    private const string Served = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: gw}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: vs}
        spec:
          hosts: ["*"]
          gateways: [gw]
          http: [{directResponse: {status: 200, body: {string: served}}}]
        """;

    // The same config plus a TCP route (spec.tcp), which the local gateway does not serve.
    private const string WithTcpRoute = Served + """

          tcp:
          - route: [{destination: {host: db.default.svc.cluster.local, port: {number: 5432}}}]
        """;

    private const string TcpRefused =
        "spec.tcp: TCP routes (spec.tcp) is not supported by the local gateway: remove it, or start with " +
        "--allow-unsupported to serve the rest without it; see docs/gateway.md";

    private const string TcpLeftOut =
        "spec.tcp: TCP routes (spec.tcp) is not supported by the local gateway and is left out (--allow-unsupported); " +
        "see docs/gateway.md";

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((line, index) => (line, index)).First(l => l.line.Contains(text, StringComparison.Ordinal)).index + 1;

    private static LocalGatewayHost Host(string yaml, UnsupportedFields allowed) => new(
        new GatewayOptions
        {
            ListenOverrides = new Dictionary<int, IPEndPoint> { [80] = new(IPAddress.Loopback, 0) },
            Admin = null,
            AccessLog = AccessLogFormat.Off,
            AllowUnsupported = allowed,
        },
        new StaticConfigSource(GatewayHarness.Load(yaml)),
        NullLoggerFactory.Instance);

    [Fact]
    public async Task Refuses_to_start_with_a_field_it_does_not_implement_naming_file_line_field_and_what_to_do()
    {
        await using var host = Host(WithTcpRoute, UnsupportedFields.None);

        var started = await host.StartAsync();

        Assert.False(started.Started);
        var finding = Assert.Single(started.Diagnostics, d => d.Code == GatewayCodes.Unsupported);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("VirtualService default/vs", finding.Resource);
        Assert.Equal("spec.tcp", finding.FieldPath);
        Assert.Equal("test.yaml", finding.Location.File);
        Assert.Equal(LineOf(WithTcpRoute, "tcp:"), finding.Location.Line);
        Assert.Equal(TcpRefused, finding.Message);
        Assert.Empty(host.ListenerAddresses);
        Assert.False(host.IsReady);
    }

    [Fact]
    public async Task Allow_unsupported_serves_the_rest_and_reports_each_field_left_out_as_a_warning()
    {
        await using var gw = await GatewayHarness.StartAsync(WithTcpRoute, configure: o => o with { AllowUnsupported = UnsupportedFields.All });

        var body = await gw.Client(80).GetStringAsync("http://x/");

        Assert.Equal("served", body);
        var finding = Assert.Single(gw.Host.Snapshots.Current.Diagnostics, d => d.Code == GatewayCodes.Unsupported);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(TcpLeftOut, finding.Message);
    }

    [Fact]
    public async Task Allowing_named_fields_still_refuses_the_others()
    {
        var yaml = WithTcpRoute.Replace(
            "  - port: {number: 80, name: http, protocol: HTTP}",
            "  - port: {number: 80, name: http, protocol: HTTP}\n    bind: 127.0.0.1",
            StringComparison.Ordinal);
        await using var host = Host(yaml, UnsupportedFields.Only(["tcp"]));

        var started = await host.StartAsync();

        Assert.False(started.Started);
        var findings = started.Diagnostics.Where(d => d.Code == GatewayCodes.Unsupported)
            .Select(d => (d.Severity, d.FieldPath, d.Location.Line)).OrderBy(f => f.Line).ToList();
        Assert.Equal(
            [
                (Severity.Error, "spec.servers[0].bind", LineOf(yaml, "bind:")),
                (Severity.Warning, "spec.tcp", LineOf(yaml, "tcp:")),
            ],
            findings);
    }

    [Fact]
    public async Task A_reload_adding_a_field_it_does_not_implement_is_refused_and_the_running_config_keeps_serving()
    {
        await using var gw = await GatewayHarness.StartAsync(Served);

        var result = await gw.ReloadAsync(WithTcpRoute);

        Assert.Equal(ReloadOutcome.Refused, result.Outcome);
        Assert.Equal(TcpRefused, Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error).Message);
        Assert.Equal("served", await gw.Client(80).GetStringAsync("http://x/"));
        Assert.Equal(1, gw.Host.Snapshots.Current.Version);
    }

    [Theory]
    [InlineData("retries", "spec.http[2].retries", true)]
    [InlineData("http.retries", "spec.http[2].retries", true)]
    [InlineData("http[0].retries", "spec.http[2].retries", true)]
    [InlineData("tls", "spec.trafficPolicy.tls", true)]
    [InlineData("trafficPolicy.tls", "spec.trafficPolicy.tls", true)]
    [InlineData("trafficPolicy.tls", "spec.tls", false)]
    [InlineData("tls", "spec.servers[0].tls.mode", false)]
    [InlineData("tls.mode", "spec.servers[0].tls.mode", true)]
    [InlineData("etries", "spec.http[0].retries", false)]
    [InlineData("", "spec.http[0].retries", false)]
    public void A_named_field_matches_the_end_of_the_field_path_ignoring_indices(string allowed, string fieldPath, bool expected) =>
        Assert.Equal(expected, UnsupportedFields.Only([allowed]).Allows(fieldPath));
}

using System.Net;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Hosting;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>Config reload (atomic swap, refusal keeps the running config, file watching) and the admin listener.</summary>
public sealed class ReloadAndAdminTests
{
    private static string Yaml(string body) => """
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
          http: [{directResponse: {status: 200, body: {string: BODY}}}]
        """.Replace("BODY", body, StringComparison.Ordinal);

    [Fact]
    public async Task Reloads_under_continuous_load_fail_no_request()
    {
        await using var gw = await GatewayHarness.StartAsync(Yaml("v0"));
        var client = gw.Client(80);
        var failures = 0;
        var served = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync("http://x/");
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || !body.StartsWith('v'))
                {
                    Interlocked.Increment(ref failures);
                }

                Interlocked.Increment(ref served);
            }
        })).ToArray();

        // The reloads take milliseconds: start them only once the load is flowing, and stop it only after more requests,
        // so requests really are in flight across the swaps.
        await Until(() => Task.FromResult(Volatile.Read(ref served) > 0));
        for (var i = 1; i <= 10; i++)
        {
            var result = await gw.ReloadAsync(Yaml("v" + i));
            Assert.Equal(ReloadOutcome.Applied, result.Outcome);
        }

        var afterReloads = Volatile.Read(ref served);
        await Until(() => Task.FromResult(Volatile.Read(ref served) > afterReloads));

        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.Equal(0, failures);
        Assert.True(served > 0);
        Assert.Equal("v10", await client.GetStringAsync("http://x/"));
    }

    [Fact]
    public async Task A_refused_config_keeps_the_running_one_serving()
    {
        await using var gw = await GatewayHarness.StartAsync(Yaml("good"));
        gw.Source.Set(new ConfigLoadResult
        {
            Config = GatewayHarness.Load(Yaml("bad")),
            Diagnostics = [new Diagnostic { Code = "IST0000", Severity = Severity.Error, Message = "broken" }],
        });

        var result = await gw.Host.ReloadAsync();

        Assert.Equal(ReloadOutcome.Refused, result.Outcome);
        Assert.Equal("good", await gw.Client(80).GetStringAsync("http://x/"));
    }

    [Fact]
    public async Task Watched_files_reload_on_change_and_a_broken_edit_is_refused_with_file_and_line()
    {
        var dir = Directory.CreateTempSubdirectory("gw-reload").FullName;
        try
        {
            var file = Path.Combine(dir, "config.yaml");
            await File.WriteAllTextAsync(file, Yaml("first"));
            var options = new GatewayOptions
            {
                ListenOverrides = new Dictionary<int, IPEndPoint> { [80] = new(IPAddress.Loopback, 0) },
                Admin = new IPEndPoint(IPAddress.Loopback, 0),
                ReloadDebounce = TimeSpan.FromMilliseconds(50),
                AccessLog = AccessLogFormat.Off,
            };
            await using var host = new LocalGatewayHost(options, new FileConfigSource([dir], "default"), NullLoggerFactory.Instance);
            Assert.True((await host.StartAsync()).Started);
            using var client = new HttpClient();
            var url = $"http://{host.ListenerAddresses[80]}/";

            await File.WriteAllTextAsync(file, Yaml("second"));
            await Until(async () => await client.GetStringAsync(url) == "second");

            await File.WriteAllTextAsync(file, Yaml("third").Replace("servers:", "servers: 3\n  x:", StringComparison.Ordinal));
            var refused = await host.ReloadAsync();
            Assert.Equal(ReloadOutcome.Refused, refused.Outcome);
            Assert.Contains(refused.Diagnostics, d => d.Severity == Severity.Error && d.Location.File.EndsWith("config.yaml", StringComparison.Ordinal) && d.Location.Line > 0);
            Assert.Equal("second", await client.GetStringAsync(url));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Admin_reports_ready_config_dump_and_istio_metrics()
    {
        await using var gw = await GatewayHarness.StartAsync(Yaml("hello"));
        var admin = gw.Admin();
        await gw.Client(80).GetStringAsync("http://x/");

        using var ready = await admin.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var dump = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync("/config_dump"));
        Assert.Equal(80, dump.RootElement.GetProperty("listeners")[0].GetProperty("port").GetInt32());
        await Until(() => Task.FromResult(gw.Host.Metrics.TotalRequests >= 1));
        var metrics = await admin.GetStringAsync("/stats/prometheus");
        Assert.Contains("istio_requests_total{reporter=\"source\",source_workload=\"istio-ingressgateway\",", metrics);
        Assert.Contains(",response_code=\"200\",grpc_response_status=\"\",response_flags=\"-\",connection_security_policy=\"unknown\"} 1\n", metrics);
        Assert.Contains("# TYPE istio_request_duration_milliseconds histogram", metrics);
    }

    [Fact]
    public async Task Istio_metrics_count_every_request_with_the_access_log_off()
    {
        await using var gw = await GatewayHarness.StartAsync(Yaml("hello"), configure: o => o with { AccessLog = AccessLogFormat.Off });
        var client = gw.Client(80);
        await client.GetStringAsync("http://x/");
        await client.GetStringAsync("http://x/");
        await client.GetStringAsync("http://x/");

        var metrics = await gw.Admin().GetStringAsync("/stats/prometheus");

        Assert.Equal(3, gw.Host.Metrics.TotalRequests);
        Assert.Contains(",destination_service=\"unknown\",", metrics);
        Assert.Contains(",response_code=\"200\",grpc_response_status=\"\",response_flags=\"-\",connection_security_policy=\"unknown\"} 3\n", metrics);
        Assert.Empty(gw.AccessLog.Lines);
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("condition not met within 20 s");
    }
}

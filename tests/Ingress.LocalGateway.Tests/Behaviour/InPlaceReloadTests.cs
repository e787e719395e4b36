using System.Net;
using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Hosting;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Behaviour;

/// <summary>
/// A config file rewritten in place (truncate, then write: <c>cat &gt; file</c>, some editors) is read empty or
/// half-written for a moment; the gateway must never take that for the user's intent and close its listeners.
/// </summary>
public sealed class InPlaceReloadTests
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

    private const string EmptyRefusal = "Error [ING0260] the config holds no resources (an empty or half-written file?); config version ";

    [Fact]
    public async Task In_place_rewrites_under_load_keep_the_listener_and_fail_no_request()
    {
        var dir = Directory.CreateTempSubdirectory("gw-inplace").FullName;
        var logs = new CollectingLoggerProvider();
        try
        {
            var file = Path.Combine(dir, "config.yaml");
            await File.WriteAllTextAsync(file, Yaml("v0"));
            await using var host = await StartAsync(dir, logs);
            var listener = host.ListenerAddresses[80];
            var url = $"http://{listener}/";
            using var client = new HttpClient();
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var served = 0;
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await client.GetAsync(url);
                        var body = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode != HttpStatusCode.OK || !body.StartsWith('v'))
                        {
                            failures.Enqueue($"{(int)response.StatusCode} {body}");
                        }
                    }
                    catch (HttpRequestException e)
                    {
                        failures.Enqueue(e.Message);
                    }

                    Interlocked.Increment(ref served);
                }
            })).ToArray();

            for (var i = 1; i <= 8; i++)
            {
                // Truncate and leave the file empty until the gateway has read it (a slow writer), then write it.
                var refusedBefore = logs.Count(EmptyRefusal);
                await using (var stream = new FileStream(file, FileMode.Truncate, FileAccess.Write))
                {
                    await stream.FlushAsync();
                }

                await Until(() => Task.FromResult(logs.Count(EmptyRefusal) > refusedBefore));
                await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
                await using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteAsync(Yaml("v" + i));
                }

                var expected = "v" + i;
                await Until(async () => await client.GetStringAsync(url) == expected);
            }

            await stop.CancelAsync();
            await Task.WhenAll(load);
            Assert.Empty(failures);
            Assert.True(served > 0);
            Assert.Equal(listener, host.ListenerAddresses[80]);
            Assert.Equal(8, logs.Count(EmptyRefusal));
            Assert.Equal(0, logs.Count("Gateway port 80 closed"));
            Assert.Equal(1, logs.Count("Gateway port 80 (Http) listening"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_emptied_config_file_is_refused_with_its_message_and_the_running_config_keeps_serving()
    {
        var dir = Directory.CreateTempSubdirectory("gw-empty").FullName;
        var logs = new CollectingLoggerProvider();
        try
        {
            var file = Path.Combine(dir, "config.yaml");
            await File.WriteAllTextAsync(file, Yaml("kept"));
            await using var host = await StartAsync(dir, logs, watch: false);
            await File.WriteAllTextAsync(file, "");

            var result = await host.ReloadAsync();

            Assert.Equal(ReloadOutcome.Refused, result.Outcome);
            var refusal = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
            Assert.Equal("ING0260", refusal.Code);
            Assert.Equal(
                $"{dir}: Error [ING0260] the config holds no resources (an empty or half-written file?); config version 1 keeps serving. " +
                "To stop serving, stop the gateway",
                refusal.ToString());
            Assert.Contains((Microsoft.Extensions.Logging.LogLevel.Error, "Config refused: " + refusal), logs.Entries);
            using var client = new HttpClient();
            Assert.Equal("kept", await client.GetStringAsync($"http://{host.ListenerAddresses[80]}/"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_config_without_any_gateway_server_is_refused_while_listeners_serve()
    {
        var dir = Directory.CreateTempSubdirectory("gw-nolisteners").FullName;
        var logs = new CollectingLoggerProvider();
        try
        {
            var file = Path.Combine(dir, "config.yaml");
            await File.WriteAllTextAsync(file, Yaml("kept"));
            await using var host = await StartAsync(dir, logs, watch: false);
            var onlyVirtualService = Yaml("other");
            await File.WriteAllTextAsync(file, onlyVirtualService[onlyVirtualService.IndexOf("apiVersion: networking.istio.io/v1\nkind: VirtualService", StringComparison.Ordinal)..]);

            var result = await host.ReloadAsync();

            Assert.Equal(ReloadOutcome.Refused, result.Outcome);
            var refusal = Assert.Single(result.Diagnostics, d => d.Code == "ING0261");
            Assert.Equal(
                "the config would remove every listener (no Gateway selecting this gateway's labels has a server); config version 1 keeps serving. " +
                "To stop serving, stop the gateway",
                refusal.Message);
            using var client = new HttpClient();
            Assert.Equal("kept", await client.GetStringAsync($"http://{host.ListenerAddresses[80]}/"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Issue 13, limits on input: a YAML bomb written into the watched folder is refused at once with its code and
    /// file:line, the running config keeps serving, and the next good write is applied (the reload is not wedged on a
    /// core expanding aliases, and the process does not die of a stack overflow).
    /// </summary>
    [Theory]
    [InlineData("billion-laughs", "ING0010")]
    [InlineData("15000-brackets", "ING0009")]
    public async Task A_yaml_bomb_written_into_the_watched_folder_is_refused_and_a_later_good_write_applies(string bomb, string code)
    {
        var dir = Directory.CreateTempSubdirectory("gw-bomb").FullName;
        var logs = new CollectingLoggerProvider();
        try
        {
            var file = Path.Combine(dir, "config.yaml");
            await File.WriteAllTextAsync(file, Yaml("before"));
            await using var host = await StartAsync(dir, logs);
            var url = $"http://{host.ListenerAddresses[80]}/";
            using var client = new HttpClient();

            await File.WriteAllTextAsync(file, bomb == "billion-laughs"
                ? await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "fixtures", "limits", "billion-laughs.yaml"))
                : new string('[', 15_000));
            await Until(() => Task.FromResult(logs.Count($"{file}:") > 0));

            var refusal = Assert.Single(logs.Entries, e => e.Message.Contains($"{file}:", StringComparison.Ordinal));
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, refusal.Level);
            Assert.StartsWith($"Config refused: {file}:{(bomb == "billion-laughs" ? "11:12" : "1:257")}: Error [{code}] ", refusal.Message, StringComparison.Ordinal);
            Assert.Equal("before", await client.GetStringAsync(url));

            await File.WriteAllTextAsync(file, Yaml("after"));
            await Until(async () => await client.GetStringAsync(url) == "after");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<LocalGatewayHost> StartAsync(string dir, CollectingLoggerProvider logs, bool watch = true)
    {
        var options = new GatewayOptions
        {
            ListenOverrides = new Dictionary<int, IPEndPoint> { [80] = new(IPAddress.Loopback, 0) },
            Admin = null,
            ReloadDebounce = watch ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromHours(1),
            AccessLog = AccessLogFormat.Off,
        };
        var host = new LocalGatewayHost(options, new FileConfigSource([dir], "default"), logs.CreateFactory());
        var started = await host.StartAsync();
        Assert.True(started.Started, string.Join("\n", started.Diagnostics));
        return host;
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

            await Task.Delay(20);
        }

        Assert.Fail("condition not met within 20 s");
    }
}

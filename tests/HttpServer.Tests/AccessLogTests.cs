using System.Text.Json;
using System.Text.RegularExpressions;
using HttpServer.AccessLog;
using HttpServer.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace HttpServer.Tests;

public sealed partial class AccessLogTests
{
    [Fact]
    public async Task Text_format_writes_one_line_per_request_with_time_ip_method_path_status_duration_and_trace()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["AccessLog:Format"] = "Text" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello?token=secret");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        using var response = await server.Client.SendAsync(request);

        var lines = await server.AccessLog.WaitForAsync(l => l.Contains(" /hello ", StringComparison.Ordinal));
        var line = Assert.Single(lines);
        var match = TextLine().Match(line);
        Assert.True(match.Success, line);
        Assert.Equal("127.0.0.1", match.Groups["ip"].Value);
        Assert.Equal("GET", match.Groups["method"].Value);
        Assert.Equal("/hello", match.Groups["path"].Value);
        Assert.Equal("200", match.Groups["status"].Value);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", match.Groups["trace"].Value);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_format_writes_one_object_per_request()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["AccessLog:Format"] = "Json" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/status/418");
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        using var response = await server.Client.SendAsync(request);

        var line = Assert.Single(await server.AccessLog.WaitForAsync(l => l.Contains("/status/418", StringComparison.Ordinal)));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(["time", "clientIp", "method", "path", "status", "durationMs", "traceId"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("127.0.0.1", root.GetProperty("clientIp").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/status/418", root.GetProperty("path").GetString());
        Assert.Equal(418, root.GetProperty("status").GetInt32());
        Assert.True(root.GetProperty("durationMs").GetDouble() >= 0);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", root.GetProperty("traceId").GetString());
        Assert.True(DateTimeOffset.UtcNow - root.GetProperty("time").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Off_writes_nothing()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["AccessLog:Format"] = "Off" });

        await server.Client.GetStringAsync(new Uri("/hello", UriKind.Relative));
        await server.Client.GetStringAsync(new Uri("/healthz", UriKind.Relative));

        // Stopping drains the writer, so anything queued would be visible now.
        await server.App.StopAsync();
        Assert.Empty(server.AccessLog.Lines);
    }

    [Fact]
    public async Task Client_ip_is_the_first_hop_of_X_Forwarded_For()
    {
        await using var server = await RunningServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7, 10.0.0.2, 10.0.0.3");
        request.Headers.Add("X-Envoy-External-Address", "198.51.100.9");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal("203.0.113.7", await ClientIpOfAsync(server, "/hello"));
    }

    [Fact]
    public async Task Client_ip_is_X_Envoy_External_Address_without_X_Forwarded_For()
    {
        await using var server = await RunningServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("X-Envoy-External-Address", "198.51.100.9");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal("198.51.100.9", await ClientIpOfAsync(server, "/hello"));
    }

    [Fact]
    public async Task Client_ip_is_the_socket_peer_without_proxy_headers()
    {
        await using var server = await RunningServer.StartAsync();

        await server.Client.GetStringAsync(new Uri("/hello", UriKind.Relative));

        Assert.Equal("127.0.0.1", await ClientIpOfAsync(server, "/hello"));
    }

    [Theory]
    [InlineData("unknown, 10.0.0.2", null, "192.0.2.1")]
    [InlineData("garbage", "198.51.100.9", "198.51.100.9")]
    [InlineData(" 2001:db8::1 ,10.0.0.2", null, "2001:db8::1")]
    [InlineData(null, null, "192.0.2.1")]
    public void Resolver_skips_values_that_are_not_addresses(string? forwardedFor, string? external, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("192.0.2.1");
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        if (external is not null)
        {
            context.Request.Headers["X-Envoy-External-Address"] = external;
        }

        Assert.Equal(expected, ClientIpResolver.Resolve(context));
    }

    private static async Task<string?> ClientIpOfAsync(RunningServer server, string path)
    {
        var line = Assert.Single(await server.AccessLog.WaitForAsync(l => l.Contains($"\"path\":\"{path}\"", StringComparison.Ordinal)));
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("clientIp").GetString();
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (?<ip>\S+) (?<method>[A-Z]+) (?<path>\S+) (?<status>\d{3}) (?<ms>\d+(\.\d+)?)ms trace=(?<trace>[0-9a-f]{32})$")]
    private static partial Regex TextLine();
}

using System.Diagnostics;
using System.Net;
using Ingress.Cli.LocalSystem;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>What `ingress up` tells the user to type works as printed.</summary>
[Collection(LocalSystemGroup.Name)]
public sealed class PrintedCommandsTests(LocalSystemFixture system)
{
    [CurlFact]
    public async Task The_printed_curl_for_test_hello_prints_hello_with_verified_tls()
    {
        var command = NextSteps.Render(system.System).Split('\n')
            .Select(l => l.Trim())
            .First(l => l.StartsWith("curl --resolve", StringComparison.Ordinal) && l.EndsWith("/test/hello", StringComparison.Ordinal));
        Assert.DoesNotContain(" -k", command, StringComparison.Ordinal);

        Assert.Equal("hello.", await CurlAsync(command));
    }

    [Fact]
    public Task The_canary_header_reaches_the_v2_instance() => AssertCanaryAsync(system);

    /// <summary>A request with <c>x-canary: true</c> is answered by the v2 instance.</summary>
    internal static async Task AssertCanaryAsync(LocalSystemFixture system)
    {
        using var client = system.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, system.Https("/test/hello"));
        request.Headers.Add("x-canary", "true");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("v2", Assert.Single(response.Headers.GetValues("Version")));
        Assert.Equal("hello.", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Runs a printed command as the user would (with curl's errors shown) and returns what it printed.</summary>
    internal static async Task<string> CurlAsync(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command + " --silent --show-error");
        using var curl = Process.Start(start)!;
        var stdout = await curl.StandardOutput.ReadToEndAsync();
        var stderr = await curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync();
        Assert.True(curl.ExitCode == 0, $"`{command}` exited {curl.ExitCode}: {stderr}");
        return stdout;
    }
}

/// <summary>A fact skipped, with the reason, where curl is not installed.</summary>
internal sealed class CurlFactAttribute : FactAttribute
{
    public CurlFactAttribute([System.Runtime.CompilerServices.CallerMemberName] string test = "",
        [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        if (Executables.FindOnPath("curl") is null)
        {
            DeployKit.Skipping.Skip(this, "curl is not installed: the printed command cannot be run here", file, test);
        }
    }
}

using System.Diagnostics;
using HttpServer.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HttpServer.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Hello:MaxDelayMs", "-1", "DataAnnotation validation failed for 'HelloOptions' members: 'MaxDelayMs' with the error: 'Hello:MaxDelayMs must be between 0 and 60000 (milliseconds).'.")]
    [InlineData("Shutdown:GracePeriodSeconds", "0", "DataAnnotation validation failed for 'ShutdownOptions' members: 'GracePeriodSeconds' with the error: 'Shutdown:GracePeriodSeconds must be between 1 and 3600 seconds.'.; Shutdown:DrainDelaySeconds must be less than Shutdown:GracePeriodSeconds (the drain is part of the grace period).")]
    [InlineData("Shutdown:DrainDelaySeconds", "30", "Shutdown:DrainDelaySeconds must be less than Shutdown:GracePeriodSeconds (the drain is part of the grace period).")]
    [InlineData("Downstream:Url", "service1:8080/x", "Downstream:Url must be an absolute http:// or https:// URL (e.g. http://service1:8080).")]
    [InlineData("Downstream:Url", "ftp://service1", "Downstream:Url must be an absolute http:// or https:// URL (e.g. http://service1:8080).")]
    [InlineData("Downstream:TimeoutSeconds", "0", "DataAnnotation validation failed for 'DownstreamOptions' members: 'TimeoutSeconds' with the error: 'Downstream:TimeoutSeconds must be between 0.001 and 300 seconds.'.")]
    [InlineData("TestDoubles:MaxDelaySeconds", "-5", "DataAnnotation validation failed for 'TestDoublesOptions' members: 'MaxDelaySeconds' with the error: 'TestDoubles:MaxDelaySeconds must be between 0 and 3600 seconds.'.")]
    public async Task Rejects_a_bad_value_at_start_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(key, value));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("AccessLog:Format", "xml", "Failed to convert configuration value 'xml' at 'AccessLog:Format' to type 'HttpServer.AccessLog.AccessLogFormat'.")]
    [InlineData("Hello:MaxDelayMs", "lots", "Failed to convert configuration value 'lots' at 'Hello:MaxDelayMs' to type 'System.Int32'.")]
    public async Task Rejects_a_value_of_the_wrong_type_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAndStartAsync(key, value));
        Assert.Equal(message, error.Message);
    }

    // Some options are read while the app is built (host timeouts, endpoint mapping), others when it starts:
    // either way the value never reaches a running server.
    private static async Task BuildAndStartAsync(string key, string value)
    {
        var app = HttpServerApp.Build(["--urls=http://127.0.0.1:0", $"--{key}={value}"], b => b.Logging.ClearProviders());
        await using (app)
        {
            await app.StartAsync();
        }
    }

    [Fact]
    public void Rejects_a_VERSION_that_cannot_be_a_header_value()
    {
        var error = Assert.Throws<OptionsValidationException>(() => HttpServerApp.Build(["--VERSION=v1\u00e9"]));
        Assert.Equal("VERSION must be printable ASCII (it is sent as the Version response header); got 'v1\u00e9'.", error.Message);
    }

    [Fact]
    public async Task Listens_on_loopback_5080_when_no_address_is_configured()
    {
        var app = HttpServerApp.Build([], b => b.Logging.ClearProviders());
        await using (app)
        {
            Assert.Equal(HttpServerApp.DefaultLocalUrl, app.Configuration["urls"]);
        }
    }

    [Fact]
    public async Task The_container_port_setting_is_left_alone()
    {
        var app = HttpServerApp.Build(["--http_ports=8080"], b => b.Logging.ClearProviders());
        await using (app)
        {
            Assert.Null(app.Configuration["urls"]);
        }
    }

    [Fact]
    public async Task The_program_exits_with_code_2_and_one_message_on_a_bad_value()
    {
        var dll = typeof(HttpServerApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "--urls=http://127.0.0.1:0", "--Hello:MaxDelayMs=-1"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Equal(
            "httpserver: configuration error: DataAnnotation validation failed for 'HelloOptions' members: 'MaxDelayMs' with the error: 'Hello:MaxDelayMs must be between 0 and 60000 (milliseconds).'.",
            (await stderr).Trim());
        _ = await stdout;
    }
}

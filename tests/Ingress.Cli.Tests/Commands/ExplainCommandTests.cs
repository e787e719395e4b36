namespace Ingress.Cli.Tests.Commands;

/// <summary><c>ingress explain</c>'s command line: its exit codes (docs/cli.md's table) and what it never prints.</summary>
public sealed class ExplainCommandTests
{
    private static string Routes => Path.Combine(CliRun.Fixtures, "seed", "httpserver-virtualservice-gateway.yaml");
    private static string Secret => Path.Combine(CliRun.Fixtures, "explain", "secret-istio-system.yaml");
    private const string Endpoint = "--endpoint=httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:5080";

    public static TheoryData<int, string[]> Codes => new()
    {
        { 0, ["explain", "-f", Routes, "-f", Secret, "-n", "istio-system", Endpoint, "GET https://httpsserver.kuopenx.io/test/metrics"] },
        { 1, ["explain", "-f", Routes, "-f", Secret, "-n", "istio-system", Endpoint, "GET https://httpsserver.kuopenx.io/"] },
        { 1, ["explain", "-f", Routes, "-f", Secret, "-n", "istio-system", "GET https://httpsserver.kuopenx.io/test/hello"] },
        { 64, ["explain", "-f", Routes, "GET"] },
        { 64, ["explain", "-f", Routes, "GET ftp://httpsserver.kuopenx.io/"] },
        { 64, ["explain", "-f", Routes] },
        { 64, ["explain", "GET https://httpsserver.kuopenx.io/"] },
        { 64, ["explain", "-f", Routes, "--header", "no colon", "GET https://httpsserver.kuopenx.io/"] },
        { 64, ["explain", "-f", Routes, "--source-ip", "300.1.1.1", "GET https://httpsserver.kuopenx.io/"] },
        { 65, ["explain", "-f", Path.Combine(CliRun.Fixtures, "no-such-file.yaml"), "GET https://httpsserver.kuopenx.io/"] },
        { 65, ["explain", "-f", Routes, "--client-cert", Routes, "GET https://httpsserver.kuopenx.io/"] },
        { 79, ["explain", "-f", Routes, "-f", Path.Combine(CliRun.Fixtures, "explain", "custom-authorization.yaml"), "GET https://httpsserver.kuopenx.io/"] },
    };

    [Theory]
    [MemberData(nameof(Codes))]
    public void Exits_with_the_documented_code(int expected, string[] args)
    {
        var run = CliRun.Of(args);

        Assert.True(expected == run.ExitCode, $"exit {run.ExitCode}, expected {expected}\n{run.Error}\n{run.Out}");
        if (expected >= ExitCodes.Usage)
        {
            // Nothing explained, and stderr says why.
            Assert.Equal("", run.Out);
            Assert.NotEqual("", run.Error.Trim());
        }
    }

    [Fact]
    public void A_token_is_never_printed()
    {
        const string token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        var text = CliRun.Of("explain", "-f", Routes, "-f", Secret, "-n", "istio-system", Endpoint, "--jwt", token,
            "GET https://httpsserver.kuopenx.io/test/hello");
        var json = CliRun.Of("explain", "-f", Routes, "-f", Secret, "-n", "istio-system", Endpoint, "--jwt", token, "-o", "json",
            "GET https://httpsserver.kuopenx.io/test/hello");

        Assert.Equal(0, text.ExitCode);
        Assert.DoesNotContain(token, text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(token, json.Out, StringComparison.Ordinal);
        Assert.Contains($"authorization: ({("Bearer " + token).Length} characters, not shown)", text.Out, StringComparison.Ordinal);
    }
}

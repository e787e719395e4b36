namespace Ingress.Cli.Tests.Commands;

/// <summary>
/// <c>ingress explain</c> on the seed's own mistakes, compared with golden outputs (ExplainGoldens/*.txt, *.json): what
/// the user would have read instead of guessing. Set INGRESS_UPDATE_GOLDENS=1 to rewrite the files after a deliberate
/// change, then review the diff.
/// </summary>
public sealed class ExplainGoldenTests
{
    private const string Endpoint = "--endpoint=httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:5080";

    private static string Seed => Path.Combine(CliRun.Fixtures, "seed");
    private static string Explain(string file) => Path.Combine(CliRun.Fixtures, "explain", file);
    private static string SeedRoutes => Path.Combine(Seed, "httpserver-virtualservice-gateway.yaml");

    public static TheoryData<string, int, string[]> Cases => new()
    {
        {
            "hello-forwarded", 0,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-istio-system.yaml"), "-n", "istio-system", Endpoint,
                "GET https://httpsserver.kuopenx.io/test/hello?lang=en"]
        },
        {
            "trailing-slash-against-exact", 1,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-istio-system.yaml"), "-n", "istio-system", Endpoint,
                "GET https://httpsserver.kuopenx.io/test/hello/"]
        },
        {
            "wrong-host", 1,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-istio-system.yaml"), "-n", "istio-system", Endpoint,
                "GET https://httpserver.kuopenx.io/test/hello"]
        },
        {
            "wrong-host-right-sni", 1,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-istio-system.yaml"), "-n", "istio-system", Endpoint,
                "--sni", "httpsserver.kuopenx.io", "GET https://httpserver.kuopenx.io/test/hello"]
        },
        {
            "secret-in-wrong-namespace", 1,
            ["explain", "-f", Seed, Endpoint, "GET https://httpsserver.kuopenx.io/test/hello"]
        },
        {
            "secret-given-in-wrong-namespace", 1,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-default.yaml"), Endpoint, "GET https://httpsserver.kuopenx.io/test/hello"]
        },
        {
            "catch-all-first", 0,
            ["explain", "-f", Explain("catch-all-first.yaml"), "-f", Explain("secret-istio-system.yaml"), "-n", "istio-system", Endpoint,
                "GET https://httpsserver.kuopenx.io/test/hello"]
        },
        {
            "deny-matches", 1,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-istio-system.yaml"), "-f", Explain("deny-metrics.yaml"), "-n", "istio-system",
                Endpoint, "--source-ip", "203.0.113.7", "GET https://httpsserver.kuopenx.io/test/metrics"]
        },
        {
            "plain-http-to-https-port", 1,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-istio-system.yaml"), "-n", "istio-system", Endpoint,
                "GET http://httpsserver.kuopenx.io:443/test/hello"]
        },
        {
            "no-listener-on-port-80", 1,
            ["explain", "-f", SeedRoutes, "-f", Explain("secret-istio-system.yaml"), "-n", "istio-system", Endpoint,
                "GET http://httpsserver.kuopenx.io/test/hello"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Text_output_is_the_golden_one(string name, int exitCode, string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(exitCode, run.ExitCode);
        AssertGolden(name + ".txt", Portable(run.Out));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json_output_is_the_golden_one(string name, int exitCode, string[] args)
    {
        var run = CliRun.Of([.. args, "-o", "json"]);

        Assert.Equal(exitCode, run.ExitCode);
        AssertGolden(name + ".json", Portable(run.Out));
    }

    // Fixture paths in findings depend on where the clone is.
    private static string Portable(string text) => text.Replace(CliRun.Fixtures, "tests/fixtures", StringComparison.Ordinal);

    private static void AssertGolden(string file, string actual)
    {
        var path = Path.Combine(GoldenDirectory, file);
        if (Environment.GetEnvironmentVariable("INGRESS_UPDATE_GOLDENS") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"no golden {path}: run with INGRESS_UPDATE_GOLDENS=1 and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static string GoldenDirectory =>
        Path.Combine(Path.GetDirectoryName(CliRun.Fixtures)!, "Ingress.Cli.Tests", "Commands", "ExplainGoldens");
}

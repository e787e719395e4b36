using Ingress.Config.Analysis;

namespace Ingress.Cli.Tests.Commands;

public class AnalyzeCommandTests
{
    [Fact]
    public void Reports_validation_findings_too()
    {
        var run = CliRun.WithInput("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web, namespace: istio-system}
            spec:
              hosts: [web.example.com]
              gateways: [web-gw]
              http:
              - redirect: {uri: /new, redirectCode: 200}

            """, "analyze", "-", "--suppress", "IST*=*");

        Assert.Equal(79, run.ExitCode);
        Assert.Equal(
            "Error [ING1205] (VirtualService istio-system/web <stdin>:8) spec.http[0].redirect.redirectCode: 200 is not a valid redirect code, must be 3xx\n",
            run.Out);
        Assert.StartsWith("Error: Analyzers found issues when analyzing namespace: default.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_every_registered_analyzer()
    {
        var run = CliRun.Of("analyze", "--list-analyzers");

        Assert.Equal(0, run.ExitCode);
        var expected = "Available analyzers:\n" + string.Concat(AnalyzerRegistry.All.OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => $"* {a.Name} [{string.Join(", ", a.Codes)}]:\n    {a.Description}\n"));
        Assert.Equal(expected, run.Out);
    }

    [Fact]
    public void Explains_itself_in_help()
    {
        var run = CliRun.Of("analyze", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Check everything given together, like istioctl analyze", run.Out, StringComparison.Ordinal);
        Assert.Contains("--list-analyzers", run.Out, StringComparison.Ordinal);
    }

    private const string RemoteJwks = """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt, namespace: istio-system}
        spec:
          jwtRules:
          - issuer: https://issuer.example.com
            jwksUri: https://issuer.example.com/.well-known/jwks.json

        """;

    [Fact]
    public void Local_reports_a_jwks_uri_the_local_gateway_will_not_fetch()
    {
        var run = CliRun.WithInput(RemoteJwks, "analyze", "-", "--local");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "Warning [ING2012] (RequestAuthentication istio-system/jwt <stdin>:7) jwksUri " +
            "\"https://issuer.example.com/.well-known/jwks.json\" of issuer \"https://issuer.example.com\" is not on this machine, " +
            "and the local gateway only fetches keys from http or https URLs on loopback, so in a local run every token of " +
            "this issuer is refused with 401 \"Jwks remote fetch is failed\". For a local run, give the issuer's public keys " +
            "inline in jwks (as deploy/overlays/local does) or serve the JWKS on 127.0.0.1; on a cluster the jwksUri is " +
            "fetched by istiod as usual.\n",
            run.Out);
    }

    [Fact]
    public void Without_local_a_remote_jwks_uri_is_clean()
    {
        var run = CliRun.WithInput(RemoteJwks, "analyze", "-");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\u2714 No validation issues found when analyzing namespace: default.\n", run.Out);
    }
}

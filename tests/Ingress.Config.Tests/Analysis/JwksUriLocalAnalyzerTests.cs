using Ingress.Config.Analysis;
using Ingress.Config.Analysis.Security;
using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;

namespace Ingress.Config.Tests.Analysis;

/// <summary>ING2012: with --local, a jwksUri the local gateway will not fetch (not http or https on loopback).</summary>
public class JwksUriLocalAnalyzerTests
{
    private static string Policy(string jwtRule) => """
        apiVersion: security.istio.io/v1
        kind: RequestAuthentication
        metadata: {name: jwt, namespace: httpserver}
        spec:
          selector: {matchLabels: {app: httpserver}}
          jwtRules:
          - issuer: https://other.example.com
            jwks: '{"keys":[]}'
          - issuer: https://issuer.example.com
            RULE
        """.Replace("RULE", jwtRule, StringComparison.Ordinal);

    private static List<Diagnostic> Analyze(string yaml, bool localRun)
    {
        var load = ConfigLoader.LoadText(yaml, "ra.yaml", new LoadOptions());
        Assert.False(load.HasErrors, string.Join("\n", load.Diagnostics));
        return new JwksUriLocalAnalyzer().Analyze(new AnalysisContext { Config = load.Config, LocalRun = localRun }).ToList();
    }

    [Fact]
    public void Reports_a_jwks_uri_off_this_machine_in_a_local_run_with_file_line_and_what_to_do()
    {
        var finding = Assert.Single(Analyze(Policy("jwksUri: https://issuer.example.com/.well-known/jwks.json"), localRun: true));

        Assert.Equal(
            "Warning [ING2012] (RequestAuthentication httpserver/jwt ra.yaml:10) jwksUri " +
            "\"https://issuer.example.com/.well-known/jwks.json\" of issuer \"https://issuer.example.com\" is not on this machine, " +
            "and the local gateway only fetches keys from http or https URLs on loopback, so in a local run every token of " +
            "this issuer is refused with 401 \"Jwks remote fetch is failed\". For a local run, give the issuer's public keys " +
            "inline in jwks (as deploy/overlays/local does) or serve the JWKS on 127.0.0.1; on a cluster the jwksUri is " +
            "fetched by istiod as usual.",
            finding.ToString());
        Assert.Equal("spec.jwtRules[1].jwksUri", finding.FieldPath);
    }

    [Fact]
    public void Reports_the_legacy_jwks_uri_spelling_under_its_own_field()
    {
        var finding = Assert.Single(Analyze(Policy("jwks_uri: http://10.0.0.5:8080/keys"), localRun: true));

        Assert.Equal("spec.jwtRules[1].jwks_uri", finding.FieldPath);
        Assert.Equal(10, finding.Location.Line);
    }

    [Theory]
    [InlineData("jwksUri: http://127.0.0.1:9000/jwks.json")]
    [InlineData("jwksUri: https://localhost:9443/jwks.json")]
    [InlineData("jwksUri: http://[::1]:9000/jwks.json")]
    [InlineData("jwksUri: http://127.10.0.1/jwks.json")]
    public void A_jwks_uri_on_loopback_is_fetched_locally_and_not_reported(string jwtRule) =>
        Assert.Empty(Analyze(Policy(jwtRule), localRun: true));

    [Fact]
    public void Outside_a_local_run_a_remote_jwks_uri_is_not_reported()
    {
        // On a cluster istiod fetches it: `ingress analyze` without --local stays clean for the dev and production kits.
        Assert.Empty(Analyze(Policy("jwksUri: https://issuer.example.com/.well-known/jwks.json"), localRun: false));
    }

    [Fact]
    public void Is_registered_and_runs_with_the_other_analyzers()
    {
        var load = ConfigLoader.LoadText(Policy("jwksUri: https://issuer.example.com/jwks"), "ra.yaml", new LoadOptions());

        var findings = AnalyzerRegistry.Run(new AnalysisContext { Config = load.Config, LocalRun = true });

        Assert.Contains(findings, d => d.Code == "ING2012");
        Assert.Contains(AnalyzerRegistry.All, a => a.Name == "security.JwksUriLocalAnalyzer");
    }
}

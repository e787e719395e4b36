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
}

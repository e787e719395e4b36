using System.Diagnostics;
using Ingress.Config.Analysis;
using Ingress.Config.Loading;
using Ingress.Config.Model;

namespace Ingress.Config.Tests.Analysis;

/// <summary>
/// The project's own deploy kit analyzes clean: each overlay rendered with <c>kubectl kustomize</c>; the chain
/// overlay together with the dev overlay it is applied after (it brings no Gateway of its own); the local overlay
/// with the TLS Secret the local tool creates from its own CA (the overlay has no cert-manager objects); the same for
/// the overlays under gateway-api, whose edge is written in the Kubernetes Gateway API.
/// </summary>
public class DeployKitAnalysisTests
{
    [KubectlTheory]
    [InlineData("dev")]
    [InlineData("local")]
    [InlineData("production")]
    [InlineData("dev", "chain")]
    [InlineData("gateway-api/dev")]
    [InlineData("gateway-api/local")]
    [InlineData("gateway-api/production")]
    public void Overlay_analyzes_without_findings(params string[] overlays)
    {
        var resources = new List<Resource>();
        var findings = new List<string>();
        foreach (var overlay in overlays)
        {
            var load = ConfigLoader.LoadText(Kustomize(overlay), $"deploy/overlays/{overlay}", new LoadOptions());
            findings.AddRange(load.Diagnostics.Where(d => d.Code != LoaderCodes.UnknownKind).Select(d => d.ToString()));
            resources.AddRange(load.Config.Resources);
        }

        var local = overlays.Any(o => o == "local" || o.EndsWith("/local", StringComparison.Ordinal));
        if (local)
        {
            var (cert, key) = TestCertificates.Valid("httpsserver.kuopenx.io");
            var secret = ConfigLoader.LoadText(
                TestCertificates.SecretYaml("httpserver-credential", "istio-system", cert, key), "local-tool-secret.yaml", new LoadOptions());
            resources.AddRange(secret.Config.Resources);
        }

        // The local overlay is also checked as `ingress analyze --local` checks it: what the local gateway cannot serve.
        var context = new AnalysisContext { Config = new ConfigSet { Resources = resources }, LocalRun = local };
        findings.AddRange(AnalyzerRegistry.Run(context)
            .Select(d => d.ToString()));

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    private static string Kustomize(string overlay)
    {
        var start = new ProcessStartInfo(KubectlTheoryAttribute.Kubectl!, ["kustomize", Path.Combine(RepoPaths.Root, "deploy", "overlays", overlay)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {error}");
        return output.Result;
    }
}

/// <summary>A theory skipped, with the reason, when kubectl (with its built-in kustomize) is not on PATH.</summary>
internal sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public static string? Kubectl { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "kubectl"))
        .FirstOrDefault(File.Exists);

    public KubectlTheoryAttribute([System.Runtime.CompilerServices.CallerMemberName] string test = "",
        [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        if (Kubectl is null)
        {
            Schema.Skipping.Skip(this, "kubectl is not on PATH: install kubectl (v1.14 or later, with kustomize built in) to analyze the deploy kit", file, test);
        }
    }
}

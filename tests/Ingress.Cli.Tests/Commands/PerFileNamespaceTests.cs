using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ingress.Cli.LocalSystem;

namespace Ingress.Cli.Tests.Commands;

/// <summary>
/// Each file with the namespace it is applied with (issue 14): the homework applies the workload with
/// <c>kubectl apply -n httpserver</c> and the edge with <c>-n istio-system</c>, and one <c>ingress analyze</c> with a
/// <c>-n</c> before each group of files says the same.
/// </summary>
public sealed class PerFileNamespaceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-ns").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Seed(string file) => Path.Combine(CliRun.Fixtures, "seed", file);

    private static readonly string Workload = Seed("httpserver-deployment-service.yaml");
    private static readonly string Edge = Seed("httpserver-virtualservice-gateway.yaml");
    private static readonly string Issuer = Seed("istio-issuer.yaml");
    private static readonly string Certificate = Seed("istio-cert.yaml");

    [Fact]
    public void One_namespace_for_everything_gives_the_advice_that_breaks_the_real_setup()
    {
        // What the issue found: with every file in istio-system the Service seems to be istio-system/httpserver.
        var run = CliRun.Of("analyze", "-n", "istio-system", Path.Combine(CliRun.Fixtures, "seed"));

        Assert.Equal(79, run.ExitCode);
        Assert.Contains("write httpserver.istio-system.svc.cluster.local", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void The_homeworks_two_kubectl_apply_calls_are_one_analyze_with_the_right_advice()
    {
        var run = CliRun.Of("analyze", "-n", "httpserver", Workload, "-n", "istio-system", Edge, Issuer, Certificate);

        Assert.Equal(79, run.ExitCode);
        // The routes' destination httpserver.httpserver.svc.cluster.local is the Service as applied: no advice to rewrite it.
        Assert.DoesNotContain("svc.cluster.local", run.Out, StringComparison.Ordinal);
        // What is left is true of the homework: the TLS Secret is created by hand, outside these files.
        Assert.StartsWith(
            $"Error [IST0101] (Gateway istio-system/httpsserver {Edge}:48) Referenced credentialName not found: \"httpserver-credential\". " +
            "Create Secret istio-system/httpserver-credential (type kubernetes.io/tls, keys tls.crt and tls.key)",
            run.Out, StringComparison.Ordinal);
        Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: Analyzers found issues when analyzing namespaces: httpserver, istio-system.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_homeworks_secret_applied_in_istio_system_the_seed_is_clean()
    {
        // kubectl create -n istio-system secret tls httpserver-credential --key=kuopenx.io.key --cert=kuopenx.io.crt
        var secret = Path.Combine(_dir, "secret.yaml");
        File.WriteAllText(secret, SecretWithoutNamespace());

        var run = CliRun.Of("analyze", "-f", Workload, "-n", "istio-system", "-f", Edge, "-f", Issuer, "-f", Certificate, "-f", secret,
            "-n", "httpserver");

        Assert.Equal(64, run.ExitCode); // -n httpserver came after its file: with several -n the order matters.

        run = CliRun.Of("analyze", "-n", "httpserver", "-f", Workload, "-n", "istio-system", "-f", Edge, "-f", Issuer, "-f", Certificate, "-f", secret);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("\u2714 No validation issues found when analyzing namespaces: httpserver, istio-system.\n", run.Out);
    }

    [Fact]
    public void One_n_applies_to_every_file_wherever_it_is_written_as_before()
    {
        var before = CliRun.Of("validate", Workload, Edge, "-n", "istio-system");
        var after = CliRun.Of("validate", "-n", "istio-system", Workload, Edge);

        Assert.Equal((0, "\u2714 No validation issues found when analyzing namespace: istio-system.\n"), (before.ExitCode, before.Out));
        Assert.Equal(before.Out, after.Out);
    }

    [Theory]
    [InlineData(new[] { "WORKLOAD", "-n", "a", "EDGE", "-n", "b", "CERT" }, "ingress validate: WORKLOAD: with several -n, each applies to the paths after it, so write a -n before every path (-n default for kubectl's default)")]
    [InlineData(new[] { "-n", "a", "-n", "b", "EDGE" }, "ingress validate: -n a is followed by no path: with several -n, each applies to the paths after it")]
    [InlineData(new[] { "-n", "a", "EDGE", "-n", "b" }, "ingress validate: -n b is followed by no path: with several -n, each applies to the paths after it")]
    [InlineData(new[] { "-n", "Istio_System", "EDGE" }, "ingress validate: --namespace 'Istio_System': expected a namespace name (lower-case letters, digits and '-', at most 63), e.g. istio-system")]
    public void A_namespace_that_cannot_be_placed_is_a_usage_error(string[] args, string expected)
    {
        string Place(string text) => text.Replace("WORKLOAD", Workload, StringComparison.Ordinal)
            .Replace("EDGE", Edge, StringComparison.Ordinal).Replace("CERT", Certificate, StringComparison.Ordinal);

        var run = CliRun.Of(["validate", .. args.Select(Place)]);

        Assert.Equal(64, run.ExitCode);
        Assert.Equal(Place(expected) + "\n", run.Error);
    }

    [Fact]
    public void Routes_takes_the_same_per_file_namespaces_and_the_old_default_namespace_spelling()
    {
        var perFile = CliRun.Of("routes", "-n", "httpserver", "-f", Workload, "-n", "istio-system", "-f", Edge,
            "--endpoint", "httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:5080");
        var legacy = CliRun.Of("routes", "-f", Edge, "--default-namespace", "istio-system",
            "--endpoint", "httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:5080");

        Assert.Equal(0, perFile.ExitCode);
        Assert.Equal(0, legacy.ExitCode);
        Assert.Contains("https.443.https-default.httpsserver.istio-system", perFile.Out, StringComparison.Ordinal);
        Assert.Contains("https.443.https-default.httpsserver.istio-system", legacy.Out, StringComparison.Ordinal);
        Assert.Equal("", legacy.Error);
    }

    [Fact]
    public void The_gateways_own_namespace_is_gateway_namespace_and_the_old_namespace_spelling_gets_a_note()
    {
        var run = CliRun.Of("routes", "-f", Edge, "--namespace", "istio-system", "--gateway-namespace", "istio-system");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(
            "note: --namespace is the namespace of documents that name none, as in kubectl apply -n and ingress analyze; " +
            "the gateway's own namespace (where it reads Secrets) is --gateway-namespace, default istio-system\n",
            run.Error, StringComparison.Ordinal);
    }

    private static string SecretWithoutNamespace()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("O=kuopenx Inc., CN=*.kuopenx.io", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365));
        var yaml = GatewaySecret.Render(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        return yaml.Replace($"  namespace: {GatewaySecret.Namespace}\n", "", StringComparison.Ordinal);
    }
}

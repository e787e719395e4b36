using Ingress.Cli.LocalSystem;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>What `ingress up` prints once ready: the user's curl checks, with --cacert instead of -k.</summary>
public sealed class NextStepsTests
{
    [Fact]
    public async Task Prints_the_users_curl_checks_with_the_local_ca_and_the_viewer_address()
    {
        var system = new RunningLocalSystem(
            new LocalSystemPorts
            {
                HttpsPort = 8443,
                HttpPort = 8080,
                AdminPort = 15000,
                DashboardPort = 18888,
                OtlpGrpcPort = 4317,
                OtlpHttpPort = 4318,
                Services = new Dictionary<string, int>(),
            },
            new LocalCertificates
            {
                CaCertificatePath = "/state/ca.crt",
                GatewayCertificatePath = "/state/httpsserver.kuopenx.io.crt",
                GatewayKeyPath = "/state/httpsserver.kuopenx.io.key",
                CaCreated = false,
                GatewayCertificateIssued = false,
            },
            "/state",
            "kubectl kustomize deploy/overlays/local",
            [],
            TimeSpan.FromSeconds(6.24),
            TimeSpan.FromSeconds(1));
        await using (system)
        {
            var lines = NextSteps.Render(system).Split('\n');

            Assert.Equal("The local system is ready (6.2 s).", lines[0]);
            Assert.Contains(
                "  curl --resolve httpsserver.kuopenx.io:8443:127.0.0.1 --cacert /state/ca.crt https://httpsserver.kuopenx.io:8443/test/hello",
                lines);
            Assert.Contains(
                "  curl --resolve httpsserver.kuopenx.io:8443:127.0.0.1 --cacert /state/ca.crt https://httpsserver.kuopenx.io:8443/test/metrics",
                lines);
            Assert.Contains(
                "  curl -i --resolve httpsserver.kuopenx.io:8080:127.0.0.1 http://httpsserver.kuopenx.io:8080/test/hello   # 301 to https",
                lines);
            Assert.Contains("Traces:         http://127.0.0.1:18888/traces", lines);
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("curl", StringComparison.Ordinal) && l.Contains(" -k ", StringComparison.Ordinal));
            Assert.Equal("Press Ctrl+C to stop everything.", lines[^1]);
        }
    }
}

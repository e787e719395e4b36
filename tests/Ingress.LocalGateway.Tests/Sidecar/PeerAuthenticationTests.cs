using System.Net;
using Ingress.LocalGateway.Hosting;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>
/// PeerAuthentication at the workload proxy over real sockets and real mutual TLS: STRICT, PERMISSIVE and DISABLE on
/// one port that takes both TLS and plain text, scope precedence, and port-level overrides.
/// </summary>
public sealed class PeerAuthenticationTests
{
    private const string Caller = "spiffe://cluster.local/ns/frontend/sa/web";

    private static async Task<bool> PlainTextIsServed(SidecarHarness sidecar)
    {
        try
        {
            using var response = await sidecar.PlainClient().GetAsync(sidecar.Url() + "/hello");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<bool> MutualTlsIsServed(SidecarHarness sidecar)
    {
        try
        {
            using var response = await sidecar.MeshClient(Caller).GetAsync(sidecar.Url("https") + "/hello");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Strict_refuses_a_plain_text_caller_and_serves_mutual_tls()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"));

        // The connection is closed without a reply, as Envoy does when no filter chain takes plain text.
        await Assert.ThrowsAsync<HttpRequestException>(() => sidecar.PlainClient().GetAsync(sidecar.Url() + "/hello"));
        Assert.Empty(sidecar.Backend.Requests);
        Assert.True(await MutualTlsIsServed(sidecar));
        Assert.Single(sidecar.Backend.Requests);
    }

    [Fact]
    public async Task Without_any_policy_the_mode_is_permissive_and_both_are_served()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("other-ns", "frontend", "STRICT"));

        Assert.True(await PlainTextIsServed(sidecar));
        Assert.True(await MutualTlsIsServed(sidecar));
    }

    [Fact]
    public async Task Permissive_serves_plain_text_and_mutual_tls_on_the_same_port()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"));

        Assert.True(await PlainTextIsServed(sidecar));
        Assert.True(await MutualTlsIsServed(sidecar));
    }

    [Fact]
    public async Task Disable_serves_plain_text_and_refuses_tls()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "DISABLE"));

        Assert.True(await PlainTextIsServed(sidecar));
        Assert.False(await MutualTlsIsServed(sidecar));
    }

    [Fact]
    public async Task Tls_without_a_client_certificate_is_refused_under_permissive()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"));

        await Assert.ThrowsAsync<HttpRequestException>(() => sidecar.TlsClient(null).GetAsync(sidecar.Url("https") + "/hello"));
        Assert.Empty(sidecar.Backend.Requests);
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_refused()
    {
        var (_, foreign) = TestCertificates.CaAndClient("CN=intruder");
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"));

        await Assert.ThrowsAsync<HttpRequestException>(() => sidecar.TlsClient(foreign.Certificate).GetAsync(sidecar.Url("https") + "/hello"));
        Assert.Empty(sidecar.Backend.Requests);
    }

    [Theory]
    [InlineData("mesh STRICT, namespace PERMISSIVE: the namespace wins", "STRICT", "PERMISSIVE", null, true)]
    [InlineData("mesh PERMISSIVE, namespace STRICT: the namespace wins", "PERMISSIVE", "STRICT", null, false)]
    [InlineData("namespace STRICT, workload PERMISSIVE: the workload wins", null, "STRICT", "PERMISSIVE", true)]
    [InlineData("mesh STRICT, namespace UNSET: inherited from the mesh", "STRICT", "UNSET", null, false)]
    [InlineData("namespace STRICT, workload UNSET: inherited from the namespace", null, "STRICT", "UNSET", false)]
    public async Task The_narrowest_policy_decides(string name, string? mesh, string? ns, string? workload, bool plainServed)
    {
        Assert.NotEmpty(name);
        var yaml = (mesh is null ? "" : MeshYaml.PeerAuthentication("default", "istio-system", mesh))
            + (ns is null ? "" : MeshYaml.PeerAuthentication("default", "httpserver", ns))
            + (workload is null ? "" : MeshYaml.PeerAuthentication("httpserver", "httpserver", workload, selector: "{app: httpserver}"));
        await using var sidecar = await SidecarHarness.StartAsync(yaml);

        Assert.Equal(plainServed, await PlainTextIsServed(sidecar));
        Assert.True(await MutualTlsIsServed(sidecar));
    }

    [Fact]
    public async Task A_workload_policy_for_other_labels_does_not_apply()
    {
        var yaml = MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE")
            + MeshYaml.PeerAuthentication("billing", "httpserver", "STRICT", selector: "{app: billing}");
        await using var sidecar = await SidecarHarness.StartAsync(yaml);

        Assert.True(await PlainTextIsServed(sidecar));
    }

    [Fact]
    public async Task Port_level_permissive_overrides_a_strict_namespace_for_that_port()
    {
        var yaml = MeshYaml.PeerAuthentication("default", "httpserver", "STRICT")
            + MeshYaml.PeerAuthentication("httpserver", "httpserver", null, selector: "{app: httpserver}",
                portLevel: $"{{\"{SidecarHarness.WorkloadPort}\": {{mode: PERMISSIVE}}}}");
        await using var sidecar = await SidecarHarness.StartAsync(yaml);

        Assert.True(await PlainTextIsServed(sidecar));
        Assert.True(await MutualTlsIsServed(sidecar));
    }

    [Fact]
    public async Task Port_level_strict_on_another_port_leaves_this_port_permissive()
    {
        var yaml = MeshYaml.PeerAuthentication("httpserver", "httpserver", "PERMISSIVE", selector: "{app: httpserver}",
            portLevel: "{\"9090\": {mode: STRICT}}");
        await using var sidecar = await SidecarHarness.StartAsync(yaml);

        Assert.True(await PlainTextIsServed(sidecar));
    }

    [Fact]
    public async Task Port_level_disable_overrides_a_strict_workload_for_that_port()
    {
        var yaml = MeshYaml.PeerAuthentication("httpserver", "httpserver", "STRICT", selector: "{app: httpserver}",
            portLevel: $"{{\"{SidecarHarness.WorkloadPort}\": {{mode: DISABLE}}}}");
        await using var sidecar = await SidecarHarness.StartAsync(yaml);

        Assert.True(await PlainTextIsServed(sidecar));
        Assert.False(await MutualTlsIsServed(sidecar));
    }

    [Fact]
    public async Task A_reload_to_strict_refuses_plain_text_from_the_next_connection()
    {
        var source = MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE");
        await using var sidecar = await SidecarHarness.StartAsync(source);
        Assert.True(await PlainTextIsServed(sidecar));

        sidecar.Source.Set(GatewayHarness.Load(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"), "httpserver"));
        var reload = await sidecar.Host.ReloadAsync();

        Assert.Equal(ReloadOutcome.Applied, reload.Outcome);
        Assert.False(await PlainTextIsServed(sidecar));
    }
}

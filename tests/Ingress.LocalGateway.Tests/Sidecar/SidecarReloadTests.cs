using Ingress.Config.Loading;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>
/// The workload proxy reloads through the same core as the gateway, so it refuses what the gateway refuses: a config
/// that reads empty, or one with errors, never replaces the one serving, and a later good one still applies.
/// </summary>
public sealed class SidecarReloadTests
{
    private static async Task<bool> PlainTextIsServed(SidecarHarness sidecar)
    {
        try
        {
            using var response = await sidecar.PlainClient().GetAsync(sidecar.Url() + "/hello");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [Fact]
    public async Task An_emptied_config_then_a_broken_one_are_refused_and_the_next_good_one_applies()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"));
        var serving = sidecar.Host.State!.Version;

        sidecar.Source.Set(GatewayHarness.Load("", "httpserver"));
        var emptied = await sidecar.Host.ReloadAsync();
        var afterEmptied = await PlainTextIsServed(sidecar);

        var unreadable = ConfigLoader.LoadText(
            "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: httpserver\nspec: {}\n",
            "peer.yaml", new LoadOptions { DefaultNamespace = "httpserver" });
        sidecar.Source.Set(new ConfigLoadResult { Config = unreadable.Config, Diagnostics = unreadable.Diagnostics });
        var broken = await sidecar.Host.ReloadAsync();
        var afterBroken = await PlainTextIsServed(sidecar);

        sidecar.Source.Set(GatewayHarness.Load(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"), "httpserver"));
        var good = await sidecar.Host.ReloadAsync();

        Assert.Equal(ReloadOutcome.Refused, emptied.Outcome);
        Assert.Equal(ReloadCodes.EmptyConfig, Assert.Single(emptied.Diagnostics, d => d.Severity == Config.Diagnostics.Severity.Error).Code);
        Assert.True(afterEmptied);
        Assert.Equal(ReloadOutcome.Refused, broken.Outcome);
        Assert.Equal(LoaderCodes.SyntaxError, Assert.Single(broken.Diagnostics, d => d.Severity == Config.Diagnostics.Severity.Error).Code);
        Assert.True(afterBroken);
        Assert.Equal(ReloadOutcome.Applied, good.Outcome);
        Assert.Equal(serving + 1, sidecar.Host.State!.Version);
        Assert.False(await PlainTextIsServed(sidecar));
    }
}

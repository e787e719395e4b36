using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.Commands;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>The local gateway accepts the <c>local</c> overlay as `ingress up` passes it, so `up` serves it.</summary>
public sealed class LocalOverlayServedTests
{
    private static string[] UpAllowance => LocalOverlay.UnsupportedFieldsLeftOut.Count == 0
        ? []
        : ["--allow-unsupported", string.Join(',', LocalOverlay.UnsupportedFieldsLeftOut)];

    [Theory]
    [InlineData("istio")]
    [InlineData("gateway-api")]
    public void The_gateway_accepts_the_local_overlay_with_the_fields_up_leaves_out(string api)
    {
        var edge = LocalEdge.Named(api);
        var overlay = Path.Combine(RepositoryPaths.RepositoryRoot, edge.PreRenderedPath);

        var run = CliRun.Of(["routes", "-f", overlay, .. edge.GatewayLabels.SelectMany(l => new[] { "--label", l }), .. UpAllowance]);

        Assert.True(run.ExitCode == 0, $"ingress routes exited {run.ExitCode}:\n{run.Error}\n{run.Out}");
        Assert.DoesNotContain("Error [ING0201]", run.Out, StringComparison.Ordinal);
    }
}

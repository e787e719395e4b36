using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.Commands;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>The local gateway accepts the <c>local</c> overlay as `ingress up` passes it, so `up` serves it.</summary>
public sealed class LocalOverlayServedTests
{
    private static string Overlay => Path.Combine(RepositoryPaths.RepositoryRoot, LocalOverlay.PreRenderedPath);

    private static string[] UpAllowance => LocalOverlay.UnsupportedFieldsLeftOut.Count == 0
        ? []
        : ["--allow-unsupported", string.Join(',', LocalOverlay.UnsupportedFieldsLeftOut)];

    [Fact]
    public void The_gateway_accepts_the_local_overlay_with_the_fields_up_leaves_out()
    {
        var run = CliRun.Of(["routes", "-f", Overlay, .. UpAllowance]);

        Assert.True(run.ExitCode == 0, $"ingress routes exited {run.ExitCode}:\n{run.Error}\n{run.Out}");
        Assert.DoesNotContain("Error [ING0201]", run.Out, StringComparison.Ordinal);
    }
}

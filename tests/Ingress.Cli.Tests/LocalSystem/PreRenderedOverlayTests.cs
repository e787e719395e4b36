using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>The committed rendering of the local overlay, which `ingress up` serves where kubectl is not installed.</summary>
public sealed class PreRenderedOverlayTests
{
    private static string CopyPath => Path.Combine(RepositoryPaths.RepositoryRoot, LocalOverlay.PreRenderedPath);

    [KubectlFact]
    public void Pre_rendered_local_overlay_equals_what_kubectl_renders_now()
    {
        var expected = LocalOverlay.PreRenderedHeader
                       + LocalOverlay.Kustomize(Kubectl.Path!, Path.Combine(RepositoryPaths.RepositoryRoot, LocalOverlay.OverlayPath));
        if (Environment.GetEnvironmentVariable("INGRESS_UPDATE_RENDERED") == "1")
        {
            File.WriteAllText(CopyPath, expected);
        }

        var actual = File.ReadAllText(CopyPath);
        Assert.True(
            actual == expected,
            $"{LocalOverlay.PreRenderedPath} is stale: deploy/overlays/local renders differently now. Refresh it with\n" +
            "  INGRESS_UPDATE_RENDERED=1 dotnet test tests/Ingress.Cli.Tests --filter Pre_rendered_local_overlay\nand commit it.");
    }

    [Fact]
    public void Without_kubectl_the_committed_rendering_is_served()
    {
        var overlay = LocalOverlay.Render(RepositoryPaths.RepositoryRoot, kubectl: null);

        Assert.Equal(File.ReadAllText(CopyPath), overlay.Yaml);
        Assert.Equal(
            "deploy/rendered/local.yaml (kubectl not found; the committed rendering of deploy/overlays/local)",
            overlay.Source);
        Assert.Contains("kind: Gateway", overlay.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_kustomize_names_the_overlay_and_says_what_to_do()
    {
        using var empty = new TempDirectory();
        var kubectl = Kubectl.Path ?? "/bin/false";

        var error = Assert.Throws<LocalSystemException>(() => LocalOverlay.Kustomize(kubectl, empty.Path));

        Assert.StartsWith($"`kubectl kustomize {empty.Path}` failed (exit 1): ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("\nFix the overlay and run again.", error.Message, StringComparison.Ordinal);
    }
}

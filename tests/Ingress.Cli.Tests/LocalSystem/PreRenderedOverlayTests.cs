using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>The committed renderings of the local overlays, which `ingress up` serves where kubectl is not installed.</summary>
public sealed class PreRenderedOverlayTests
{
    public static TheoryData<string> Edges() => new(LocalEdge.All.Select(e => e.Name));

    [KubectlTheory]
    [MemberData(nameof(Edges))]
    public void Pre_rendered_local_overlay_equals_what_kubectl_renders_now(string api)
    {
        var edge = LocalEdge.Named(api);
        var copy = Path.Combine(RepositoryPaths.RepositoryRoot, edge.PreRenderedPath);
        var expected = edge.PreRenderedHeader + LocalOverlay.Kustomize(Kubectl.Path!, Path.Combine(RepositoryPaths.RepositoryRoot, edge.OverlayPath));
        if (Environment.GetEnvironmentVariable("INGRESS_UPDATE_RENDERED") == "1")
        {
            File.WriteAllText(copy, expected);
        }

        var actual = File.ReadAllText(copy);
        Assert.True(
            actual == expected,
            $"{edge.PreRenderedPath} is stale: {edge.OverlayPath} renders differently now. Refresh it with\n" +
            "  INGRESS_UPDATE_RENDERED=1 dotnet test tests/Ingress.Cli.Tests --filter Pre_rendered_local_overlay\nand commit it.");
    }

    [Theory]
    [InlineData("istio", "kind: VirtualService")]
    [InlineData("gateway-api", "kind: HTTPRoute")]
    public void Without_kubectl_the_committed_rendering_is_served(string api, string kind)
    {
        var edge = LocalEdge.Named(api);

        var overlay = LocalOverlay.Render(RepositoryPaths.RepositoryRoot, kubectl: null, edge);

        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, edge.PreRenderedPath)), overlay.Yaml);
        Assert.Equal($"{edge.PreRenderedPath} (kubectl not found; the committed rendering of {edge.OverlayPath})", overlay.Source);
        Assert.Contains(kind, overlay.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_kubectl_the_istio_edge_is_the_default()
    {
        Assert.Equal(
            "deploy/rendered/local.yaml (kubectl not found; the committed rendering of deploy/overlays/local)",
            LocalOverlay.Render(RepositoryPaths.RepositoryRoot, kubectl: null).Source);
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

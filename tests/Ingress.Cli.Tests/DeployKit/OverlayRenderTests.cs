namespace Ingress.Cli.Tests.DeployKit;

/// <summary>Every overlay under deploy/overlays renders with `kubectl kustomize` into exactly the resources it should.</summary>
public sealed class OverlayRenderTests
{
    /// <summary>
    /// Every folder under deploy/overlays with a kustomization.yaml (gateway-api/dev for the nested ones), found at test
    /// discovery.
    /// </summary>
    public static TheoryData<string> Overlays()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Overlays, "kustomization.yaml", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(RepositoryPaths.Overlays, Path.GetDirectoryName(f)!).Replace('\\', '/'))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    [KubectlTheory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders_with_kubectl_kustomize(string overlay)
    {
        var result = Kubectl.Kustomize(Path.Combine(RepositoryPaths.Overlays, overlay));

        Assert.True(result.ExitCode == 0, $"kubectl kustomize deploy/overlays/{overlay} exited {result.ExitCode}: {result.Error}");
        Assert.Equal(string.Empty, result.Error.Trim());
        Assert.NotEmpty(Manifest.Parse(result.Output));
    }

    [KubectlTheory]
    [MemberData(nameof(Overlays))]
    public void Overlay_renders_exactly_the_expected_resources(string overlay)
    {
        Assert.True(
            OverlayExpectations.ByOverlay.TryGetValue(overlay, out var expected),
            $"deploy/overlays/{overlay} has no entry in OverlayExpectations: list the resources it must render there");

        var rendered = Manifest.RenderOverlay(overlay).Select(o => o.Id).ToList();

        Assert.Equal(rendered.Count, rendered.Distinct(StringComparer.Ordinal).Count());
        var missing = expected.Except(rendered, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unexpected = rendered.Except(expected, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            missing.Count == 0 && unexpected.Count == 0,
            $"deploy/overlays/{overlay}: missing [{string.Join(", ", missing)}]; unexpected [{string.Join(", ", unexpected)}]");
    }

    [KubectlTheory]
    [MemberData(nameof(Overlays))]
    public void Overlay_contains_no_Secret(string overlay)
    {
        // Keys never live in the kit: cert-manager or the local tool writes the gateway's Secret.
        Assert.DoesNotContain(Manifest.RenderOverlay(overlay), o => o.Kind == "Secret");
    }

    [Fact]
    public void Every_expected_overlay_exists()
    {
        foreach (var overlay in OverlayExpectations.ByOverlay.Keys)
        {
            Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Overlays, overlay)), $"deploy/overlays/{overlay} is missing");
        }
    }
}

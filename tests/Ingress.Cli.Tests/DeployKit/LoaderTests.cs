using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>The project's own config loader reads every rendered overlay without errors.</summary>
public sealed class LoaderTests
{
    [KubectlTheory]
    [MemberData(nameof(OverlayRenderTests.Overlays), MemberType = typeof(OverlayRenderTests))]
    public void Overlay_loads_with_the_projects_config_loader_without_errors(string overlay)
    {
        var rendered = Kubectl.Kustomize(Path.Combine(RepositoryPaths.Overlays, overlay));
        Assert.Equal(0, rendered.ExitCode);

        var result = ConfigLoader.LoadText(rendered.Output, $"deploy/overlays/{overlay}", new LoadOptions());

        var errors = result.Diagnostics.Where(d => d.Severity == Severity.Error).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }
}

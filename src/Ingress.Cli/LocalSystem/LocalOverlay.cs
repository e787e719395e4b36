using System.Diagnostics;

namespace Ingress.Cli.LocalSystem;

/// <summary>A local overlay's manifests as one YAML stream, and where they came from.</summary>
public sealed record RenderedOverlay
{
    /// <summary>The multi-document YAML.</summary>
    public required string Yaml { get; init; }

    /// <summary>How it was made, for the user (<c>kubectl kustomize deploy/overlays/local</c> or the pre-rendered copy).</summary>
    public required string Source { get; init; }
}

/// <summary>
/// Renders the local overlay of an edge (<c>deploy/overlays/local</c>, or <c>deploy/overlays/gateway-api/local</c>): in
/// a clone, with <c>kubectl kustomize</c> when kubectl is installed (so edits to the overlay take effect), else from
/// the committed copy under <c>deploy/rendered</c>, which a test keeps equal to kubectl's output, so a machine with
/// nothing but the .NET SDK serves exactly the same manifests; outside a clone (a release archive, the .NET tool), from
/// that copy as it was built into the tool.
/// </summary>
public static class LocalOverlay
{
    /// <summary>The Istio overlay, relative to the clone's root.</summary>
    public static string OverlayPath => LocalEdge.Istio.OverlayPath;

    /// <summary>The committed rendering of the Istio overlay, relative to the clone's root.</summary>
    public static string PreRenderedPath => LocalEdge.Istio.PreRenderedPath;

    /// <summary>The first lines of the Istio overlay's committed rendering (kubectl's output follows them unchanged).</summary>
    public static string PreRenderedHeader => LocalEdge.Istio.PreRenderedHeader;

    /// <summary>The name of the Istio overlay's committed rendering inside the tool (an embedded resource, see Ingress.Cli.csproj).</summary>
    public static string EmbeddedName => LocalEdge.Istio.EmbeddedName;

    /// <summary>
    /// Fields of the overlay the local gateway does not implement yet, which <c>ingress up</c> lets it leave out
    /// (<c>--allow-unsupported</c>, each reported as a warning) so the rest of the system runs; every other unsupported
    /// field refuses the config, as it does for <c>ingress gateway</c>. Empty once the gateway serves the whole overlay.
    /// </summary>
    public static IReadOnlyList<string> UnsupportedFieldsLeftOut { get; } = [];

    /// <summary>
    /// Renders the edge's overlay of the clone at <paramref name="repositoryRoot"/> with kubectl when
    /// <paramref name="kubectl"/> is given, else reads the clone's committed copy; with no clone, reads the copy built
    /// into the tool.
    /// </summary>
    public static RenderedOverlay Render(string? repositoryRoot, string? kubectl, LocalEdge? edge = null)
    {
        edge ??= LocalEdge.Istio;
        if (repositoryRoot is null)
        {
            return Embedded(edge);
        }

        if (kubectl is not null)
        {
            return new RenderedOverlay
            {
                Yaml = Kustomize(kubectl, Path.Combine(repositoryRoot, edge.OverlayPath)),
                Source = $"kubectl kustomize {edge.OverlayPath}",
            };
        }

        var copy = Path.Combine(repositoryRoot, edge.PreRenderedPath);
        if (!File.Exists(copy))
        {
            throw new LocalSystemException(
                $"{edge.PreRenderedPath} is missing and kubectl is not installed: install kubectl (1.27 or later) or restore the file from git.");
        }

        return new RenderedOverlay
        {
            Yaml = File.ReadAllText(copy),
            Source = $"{edge.PreRenderedPath} (kubectl not found; the committed rendering of {edge.OverlayPath})",
        };
    }

    /// <summary>The committed rendering of the edge's overlay as it was when this tool was built.</summary>
    public static RenderedOverlay Embedded(LocalEdge? edge = null)
    {
        edge ??= LocalEdge.Istio;
        using var stream = typeof(LocalOverlay).Assembly.GetManifestResourceStream(edge.EmbeddedName)
                           ?? throw new LocalSystemException($"this ingress was built without {edge.PreRenderedPath} (resource {edge.EmbeddedName})");
        using var reader = new StreamReader(stream);
        return new RenderedOverlay
        {
            Yaml = reader.ReadToEnd(),
            Source = $"{edge.PreRenderedPath} as built into ingress (no clone here; the rendering of {edge.OverlayPath})",
        };
    }

    /// <summary>Runs <c>kubectl kustomize DIR</c> (offline) and returns its output; a failure names the overlay and kubectl's message.</summary>
    public static string Kustomize(string kubectl, string directory)
    {
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);

        using var process = Process.Start(start) ?? throw new LocalSystemException($"could not start {kubectl}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new LocalSystemException($"`kubectl kustomize {directory}` did not finish within 60 s");
        }

        if (process.ExitCode != 0)
        {
            throw new LocalSystemException(
                $"`kubectl kustomize {directory}` failed (exit {process.ExitCode}): {stderr.Result.Trim()}\nFix the overlay and run again.");
        }

        return stdout.Result;
    }

    /// <summary>kubectl's path when it is on PATH, else null.</summary>
    public static string? FindKubectl() => Executables.FindOnPath("kubectl");
}

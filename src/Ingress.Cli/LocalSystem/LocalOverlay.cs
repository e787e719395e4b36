using System.Diagnostics;

namespace Ingress.Cli.LocalSystem;

/// <summary>The <c>local</c> overlay's manifests as one YAML stream, and where they came from.</summary>
public sealed record RenderedOverlay
{
    /// <summary>The multi-document YAML.</summary>
    public required string Yaml { get; init; }

    /// <summary>How it was made, for the user (<c>kubectl kustomize deploy/overlays/local</c> or the pre-rendered copy).</summary>
    public required string Source { get; init; }
}

/// <summary>
/// Renders <c>deploy/overlays/local</c>: in a clone, with <c>kubectl kustomize</c> when kubectl is installed (so edits to
/// the overlay take effect), else from the committed copy <c>deploy/rendered/local.yaml</c>, which a test keeps equal to
/// kubectl's output, so a machine with nothing but the .NET SDK serves exactly the same manifests; outside a clone (a
/// release archive, the .NET tool), from that copy as it was built into the tool.
/// </summary>
public static class LocalOverlay
{
    /// <summary>The overlay, relative to the clone's root.</summary>
    public const string OverlayPath = "deploy/overlays/local";

    /// <summary>The committed rendering, relative to the clone's root.</summary>
    public const string PreRenderedPath = "deploy/rendered/local.yaml";

    /// <summary>The first lines of the committed rendering (kubectl's output follows them unchanged).</summary>
    public const string PreRenderedHeader =
        "# GENERATED from deploy/overlays/local by `kubectl kustomize`: do not edit. `ingress up` reads this copy only\n" +
        "# when kubectl is not installed. Refresh it after changing the kit:\n" +
        "#   INGRESS_UPDATE_RENDERED=1 dotnet test tests/Ingress.Cli.Tests --filter Pre_rendered_local_overlay\n";

    /// <summary>
    /// Fields of the overlay the local gateway does not implement yet, which <c>ingress up</c> lets it leave out
    /// (<c>--allow-unsupported</c>, each reported as a warning) so the rest of the system runs; every other unsupported
    /// field refuses the config, as it does for <c>ingress gateway</c>. Empty once the gateway serves the whole overlay.
    /// </summary>
    public static IReadOnlyList<string> UnsupportedFieldsLeftOut { get; } = [];

    /// <summary>The name of the committed rendering inside the tool (an embedded resource, see Ingress.Cli.csproj).</summary>
    public const string EmbeddedName = "local-overlay.yaml";

    /// <summary>
    /// Renders the overlay of the clone at <paramref name="repositoryRoot"/> with kubectl when <paramref name="kubectl"/>
    /// is given, else reads the clone's committed copy; with no clone, reads the copy built into the tool.
    /// </summary>
    public static RenderedOverlay Render(string? repositoryRoot, string? kubectl)
    {
        if (repositoryRoot is null)
        {
            return Embedded();
        }

        if (kubectl is not null)
        {
            return new RenderedOverlay
            {
                Yaml = Kustomize(kubectl, Path.Combine(repositoryRoot, OverlayPath)),
                Source = $"kubectl kustomize {OverlayPath}",
            };
        }

        var copy = Path.Combine(repositoryRoot, PreRenderedPath);
        if (!File.Exists(copy))
        {
            throw new LocalSystemException(
                $"{PreRenderedPath} is missing and kubectl is not installed: install kubectl (1.27 or later) or restore the file from git.");
        }

        return new RenderedOverlay
        {
            Yaml = File.ReadAllText(copy),
            Source = $"{PreRenderedPath} (kubectl not found; the committed rendering of {OverlayPath})",
        };
    }

    /// <summary>The committed rendering as it was when this tool was built.</summary>
    public static RenderedOverlay Embedded()
    {
        using var stream = typeof(LocalOverlay).Assembly.GetManifestResourceStream(EmbeddedName)
                           ?? throw new LocalSystemException($"this ingress was built without {PreRenderedPath} (resource {EmbeddedName})");
        using var reader = new StreamReader(stream);
        return new RenderedOverlay
        {
            Yaml = reader.ReadToEnd(),
            Source = $"{PreRenderedPath} as built into ingress (no clone here; the rendering of {OverlayPath})",
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

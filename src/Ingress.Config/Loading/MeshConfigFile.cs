namespace Ingress.Config.Loading;

/// <summary>The MeshConfig settings the local proxies follow, with where each was written.</summary>
public sealed record MeshConfigSettings
{
    /// <summary><c>pathNormalization.normalization</c> as written (upper case), or null when not set.</summary>
    public string? PathNormalization { get; init; }
}

/// <summary>
/// Reads Istio's MeshConfig from a file as a platform team keeps it: an IstioOperator (its <c>spec.meshConfig</c>, as in
/// <c>deploy/istio/istio-operator.yaml</c>), the <c>istio</c> ConfigMap (its <c>data.mesh</c>), or a bare MeshConfig
/// document (what that <c>mesh</c> key holds, and what Helm's <c>meshConfig:</c> values hold).
/// </summary>
public static class MeshConfigFile
{
    /// <summary>The values of MeshConfig <c>pathNormalization.normalization</c> (istio/api mesh/v1alpha1/config.proto).</summary>
    public static IReadOnlyList<string> PathNormalizations { get; } = ["DEFAULT", "NONE", "BASE", "MERGE_SLASHES", "DECODE_AND_MERGE_SLASHES"];

    /// <summary>Reads the settings; every problem is added to <paramref name="errors"/> with file:line and what to do.</summary>
    public static MeshConfigSettings Read(string path, List<string> errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot read the MeshConfig file: {e.Message}");
            return new MeshConfigSettings();
        }

        return Parse(text, path, errors);
    }

    /// <summary>Parses MeshConfig text (see <see cref="Read"/>); <paramref name="file"/> names it in errors.</summary>
    public static MeshConfigSettings Parse(string text, string file, List<string> errors)
    {
        var documents = YamlTreeReader.ReadAll(new StringReader(text), out var syntax);
        if (syntax is not null)
        {
            errors.Add($"{file}:{syntax.Line}:{syntax.Column}: {syntax.Message}");
            return new MeshConfigSettings();
        }

        foreach (var document in documents.Where(d => d.Kind == NodeKind.Mapping))
        {
            if (MeshOf(document, file, errors) is { } mesh)
            {
                return Settings(mesh, file, errors);
            }
        }

        errors.Add($"{file}: no MeshConfig found: give an IstioOperator (spec.meshConfig), the istio ConfigMap (data.mesh) " +
                   "or a MeshConfig document (e.g. pathNormalization: {normalization: MERGE_SLASHES})");
        return new MeshConfigSettings();
    }

    private static Node? MeshOf(Node document, string file, List<string> errors)
    {
        switch (document.Get("kind")?.Value)
        {
            case "IstioOperator":
                return document.Get("spec")?.Get("meshConfig");
            case "ConfigMap":
                if (document.Get("data")?.Get("mesh") is not { Value: { } mesh } key)
                {
                    return null;
                }

                var inner = YamlTreeReader.ReadAll(new StringReader(mesh), out var syntax);
                if (syntax is not null)
                {
                    errors.Add($"{file}:{key.Line}: data.mesh is not YAML: {syntax.Message}");
                    return null;
                }

                return inner.FirstOrDefault(d => d.Kind == NodeKind.Mapping);
            case null:
                return document;
            default:
                return null;
        }
    }

    private static MeshConfigSettings Settings(Node mesh, string file, List<string> errors)
    {
        var value = mesh.Get("pathNormalization")?.Get("normalization");
        if (value?.Value is not { } normalization)
        {
            return new MeshConfigSettings();
        }

        if (!PathNormalizations.Contains(normalization, StringComparer.Ordinal))
        {
            errors.Add($"{file}:{value.Line}: pathNormalization.normalization '{normalization}' is not one of " +
                       string.Join(", ", PathNormalizations));
            return new MeshConfigSettings();
        }

        return new MeshConfigSettings { PathNormalization = normalization };
    }
}

using Ingress.Config.Loading;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Support;

/// <summary>
/// The few MeshConfig settings the analyzers read, from the <c>istio</c> ConfigMap in the root namespace (its
/// <c>mesh</c> key, as istiod reads it). Without that ConfigMap Istio's defaults apply: no default providers, no
/// extension providers.
/// </summary>
internal sealed record MeshConfigView(IReadOnlyList<string> DefaultAccessLoggingProviders, IReadOnlyList<string> LightstepProviders)
{
    public static MeshConfigView For(AnalysisContext context)
    {
        var map = context.Config.Find<ConfigMap>(context.RootNamespace, "istio");
        if (map is null || !map.Data.TryGetValue("mesh", out var mesh))
        {
            return new MeshConfigView([], []);
        }

        using var reader = new StringReader(mesh);
        var documents = YamlTreeReader.ReadAll(reader, out _);
        var root = documents.FirstOrDefault();
        var providers = root?.Get("defaultProviders")?.Get("accessLogging")?.Items?
            .Where(item => item.Kind == NodeKind.Scalar && !string.IsNullOrEmpty(item.Value))
            .Select(item => item.Value!)
            .ToList();
        var lightstep = root?.Get("extensionProviders")?.Items?
            .Where(item => item.Get("lightstep") is not null && item.Get("name")?.Value is { Length: > 0 })
            .Select(item => item.Get("name")!.Value!)
            .ToList();
        return new MeshConfigView(providers ?? [], lightstep ?? []);
    }
}

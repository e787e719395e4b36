using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis.Telemetry;

/// <summary>
/// IST0157: an access logging entry of a Telemetry names no provider while the mesh has no default access logging
/// provider, so Istio ignores it. Compare Istio's <c>telemetry/providers.go</c> (ProdiverAnalyzer); the mesh defaults
/// come from the <c>istio</c> ConfigMap's <c>mesh</c> when the configuration holds it.
/// </summary>
public sealed class TelemetryProviderAnalyzer : IAnalyzer
{
    public string Name => "telemetry.ProviderAnalyzer";

    public string Description => "Checks that a Telemetry's access logging names a provider when the mesh has no default one";

    public IReadOnlyList<string> Codes { get; } = [Messages.InvalidTelemetryProvider.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Telemetry", "ConfigMap"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        if (MeshConfigView.For(context).DefaultAccessLoggingProviders.Count > 0)
        {
            yield break;
        }

        foreach (var telemetry in context.Config.OfType<Model.Telemetry>())
        {
            for (var i = 0; i < telemetry.Spec.AccessLogging.Count; i++)
            {
                if (telemetry.Spec.AccessLogging[i].Providers.Count == 0)
                {
                    yield return Messages.InvalidTelemetryProvider.At(
                        telemetry,
                        $"spec.accessLogging[{i}]",
                        "Name a provider (for example envoy), or set meshConfig.defaultProviders.accessLogging.",
                        telemetry.Metadata.Name,
                        Messages.Quote(telemetry.Metadata.Namespace));
                }
            }
        }
    }
}

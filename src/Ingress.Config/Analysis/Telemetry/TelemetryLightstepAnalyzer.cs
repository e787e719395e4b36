using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;

namespace Ingress.Config.Analysis.Telemetry;

/// <summary>
/// IST0002: a Telemetry's tracing names a provider that the mesh config defines as a Lightstep extension provider,
/// which Istio deprecates in favour of OpenTelemetry. Compare Istio's <c>telemetry/lightstep.go</c>
/// (LightstepAnalyzer); the mesh config is the <c>istio</c> ConfigMap's <c>mesh</c>, when the configuration holds it.
/// </summary>
public sealed class TelemetryLightstepAnalyzer : IAnalyzer
{
    public string Name => "telemetry.LightstepAnalyzer";

    public string Description => "Checks for Telemetry tracing through the deprecated Lightstep provider";

    public IReadOnlyList<string> Codes { get; } = [Messages.Deprecated.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Telemetry", "ConfigMap"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var lightstep = MeshConfigView.For(context).LightstepProviders;
        if (lightstep.Count == 0)
        {
            yield break;
        }

        foreach (var telemetry in context.Config.OfType<Model.Telemetry>())
        {
            for (var i = 0; i < telemetry.Spec.Tracing.Count; i++)
            {
                var providers = telemetry.Spec.Tracing[i].Providers;
                for (var j = 0; j < providers.Count; j++)
                {
                    if (providers[j].Name is { } name && lightstep.Contains(name, StringComparer.Ordinal))
                    {
                        yield return Messages.Deprecated.At(
                            telemetry,
                            $"spec.tracing[{i}].providers[{j}].name",
                            "Define an opentelemetry extension provider for the same collector and name it here.",
                            $"The Lightstep provider {name} is deprecated, please migrate to OpenTelemetry provider.");
                    }
                }
            }
        }
    }
}

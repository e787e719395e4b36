using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>The checks Istio's ValidateTelemetry makes for tracing and access logging.</summary>
internal static class TelemetryValidator
{
    private static readonly string[] MatchModes = ["CLIENT_AND_SERVER", "CLIENT", "SERVER"];

    public static void Validate(Telemetry telemetry, Findings f)
    {
        var spec = telemetry.Spec;
        SecurityValidators.Targets(spec.Selector, spec.TargetRef, spec.TargetRefs, f);
        if (spec.Tracing.Count > 1)
        {
            f.Warning(TelemetryTracing, "spec.tracing", "multiple tracing is not currently supported");
        }

        for (var i = 0; i < spec.Tracing.Count; i++)
        {
            var tracing = spec.Tracing[i];
            var path = $"spec.tracing[{i}]";
            if (tracing.Providers.Count > 1)
            {
                f.Warning(TelemetryTracing, $"{path}.providers", "multiple providers is not currently supported");
            }

            Providers(tracing.Providers, $"{path}.providers", f);
            MatchMode(tracing.Match, path, f);
            if (tracing.RandomSamplingPercentage is { } sampling and (< 0 or > 100))
            {
                f.Error(TelemetryTracing, $"{path}.randomSamplingPercentage", "randomSamplingPercentage must be in range [0.0, 100.0]");
            }

            foreach (var (name, tag) in tracing.CustomTags)
            {
                CustomTag(name, tag, $"{path}.customTags.{name}", f);
            }
        }

        for (var i = 0; i < spec.Metrics.Count; i++)
        {
            Metrics(spec.Metrics[i], $"spec.metrics[{i}]", f);
        }

        for (var i = 0; i < spec.AccessLogging.Count; i++)
        {
            Providers(spec.AccessLogging[i].Providers, $"spec.accessLogging[{i}].providers", f);
            MatchMode(spec.AccessLogging[i].Match, $"spec.accessLogging[{i}]", f);
        }
    }

    /// <summary>
    /// Istio's validateTelemetryMetrics: provider names, then each override's tag operations (UPSERT needs a value,
    /// REMOVE takes none; an empty tag name is only a warning) and a custom metric name that is not empty.
    /// </summary>
    private static void Metrics(Metrics metrics, string path, Findings f)
    {
        Providers(metrics.Providers, $"{path}.providers", f);
        for (var o = 0; o < metrics.Overrides.Count; o++)
        {
            var overrides = metrics.Overrides[o];
            var at = $"{path}.overrides[{o}]";
            foreach (var (tag, operation) in overrides.TagOverrides)
            {
                if (tag.Length == 0)
                {
                    f.Warning(TelemetryMetrics, $"{at}.tagOverrides", "tagOverrides.name may not be empty");
                }

                if (operation.Operation is null or "" or "UPSERT" && !Proto3.IsSet(operation.Value))
                {
                    f.Error(TelemetryMetrics, $"{at}.tagOverrides.{tag}", "tagOverrides.value must be set when operation is UPSERT");
                }
                else if (operation.Operation == "REMOVE" && Proto3.IsSet(operation.Value))
                {
                    f.Error(TelemetryMetrics, $"{at}.tagOverrides.{tag}.value", "tagOverrides.value may only be set when operation is UPSERT");
                }
            }

            if (overrides.Match is { CustomMetric: "" })
            {
                f.Error(TelemetryMetrics, $"{at}.match.customMetric", "customMetric may not be empty");
            }
        }
    }

    private static void Providers(IReadOnlyList<ProviderRef> providers, string path, Findings f)
    {
        for (var i = 0; i < providers.Count; i++)
        {
            if (string.IsNullOrEmpty(providers[i].Name))
            {
                f.Error(TelemetryProviders, $"{path}[{i}].name", "providers.name may not be empty");
                return;
            }
        }
    }

    private static void MatchMode(TelemetryMatch? match, string path, Findings f)
    {
        if (match?.Mode is { } mode && !MatchModes.Contains(mode, StringComparer.Ordinal))
        {
            f.Error(TelemetryTracing, $"{path}.match.mode", $"unknown mode \"{mode}\"; use one of {string.Join(", ", MatchModes)}");
        }
    }

    private static void CustomTag(string name, CustomTag tag, string path, Findings f)
    {
        if (name.Length == 0)
        {
            f.Error(TelemetryTracing, path, "tag name may not be empty");
        }

        if (tag.Literal is null && tag.Header is null && tag.Environment is null && tag.Formatter is null)
        {
            f.Error(TelemetryTracing, path, $"tag '{name}' may not have a nil value");
            return;
        }

        if (tag.Literal is { } literal && string.IsNullOrEmpty(literal.Value))
        {
            f.Error(TelemetryTracing, $"{path}.literal", "literal tag value may not be empty");
        }

        if (tag.Header is { } header && string.IsNullOrEmpty(header.Name))
        {
            f.Error(TelemetryTracing, $"{path}.header", "header tag name may not be empty");
        }

        if (tag.Environment is { } environment && string.IsNullOrEmpty(environment.Name))
        {
            f.Error(TelemetryTracing, $"{path}.environment", "environment tag name may not be empty");
        }
    }
}

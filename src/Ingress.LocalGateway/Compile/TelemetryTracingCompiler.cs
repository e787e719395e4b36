using Ingress.Config.Istio;
using Ingress.Config.Model;
using Ingress.LocalGateway.Compile.Security;
using Ingress.LocalGateway.Snapshot.Tracing;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Finds the Telemetry resources that apply to this gateway and merges their <c>tracing</c> entries into one
/// <see cref="TracingPolicy"/>, as Istio's <c>telemetry.go</c> does for a gateway (a CLIENT-side proxy): the root
/// namespace's Telemetry without selector, then the gateway namespace's without selector, then the one whose selector
/// matches the gateway's labels (or whose targetRef names its Gateway API Gateway); the oldest of each scope counts; entries whose <c>match.mode</c> is SERVER do not apply.
/// </summary>
public static class TelemetryTracingCompiler
{
    /// <summary>Istio's root namespace, whose selector-less Telemetry applies mesh-wide.</summary>
    public const string RootNamespace = "istio-system";

    public static TracingPolicy Compile(ConfigSet config, GatewayOptions options, CompileDiagnostics diagnostics,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var telemetries = CreationOrder.Sort(config.OfType<Telemetry>()).ToList();
        var root = telemetries.FirstOrDefault(t => t.Metadata.Namespace == RootNamespace && !HasSelector(t));
        var ns = options.Namespace == RootNamespace
            ? null
            : telemetries.FirstOrDefault(t => t.Metadata.Namespace == options.Namespace && !HasSelector(t));
        var identity = new WorkloadIdentity(options.Namespace, options.Labels);
        var workload = telemetries.FirstOrDefault(t => HasSelector(t)
            && PolicySelection.Applies(t, t.Spec.Selector, t.Spec.TargetRef, t.Spec.TargetRefs, identity, RootNamespace));

        var policy = TracingPolicy.Default;
        foreach (var telemetry in new[] { root, ns, workload })
        {
            if (telemetry is null)
            {
                continue;
            }

            for (var i = 0; i < telemetry.Spec.Tracing.Count; i++)
            {
                var tracing = telemetry.Spec.Tracing[i];
                if (tracing.Match?.Mode == "SERVER")
                {
                    continue;
                }

                policy = Apply(policy, telemetry, tracing, $"spec.tracing[{i}]", diagnostics, environment);
            }
        }

        return policy;
    }

    private static TracingPolicy Apply(TracingPolicy policy, Telemetry telemetry, Config.Model.Tracing tracing, string path,
        CompileDiagnostics diagnostics, Func<string, string?> environment)
    {
        if (tracing.RandomSamplingPercentage is { } percentage)
        {
            policy = policy with { SamplingPercentage = percentage };
        }

        if (tracing.DisableSpanReporting is { } disabled)
        {
            policy = policy with { Disabled = disabled };
        }

        if (tracing.UseRequestIdForTraceSampling is { } useRequestId)
        {
            policy = policy with { UseRequestIdForSampling = useRequestId };
        }

        if (tracing.EnableIstioTags is { } istioTags)
        {
            policy = policy with { IstioTags = istioTags };
        }

        if (tracing.DisableContextPropagation is { } noPropagation)
        {
            policy = policy with { DisableContextPropagation = noPropagation };
        }

        if (tracing.CustomTags.Count > 0)
        {
            var tags = new List<SpanCustomTag>();
            foreach (var (name, tag) in tracing.CustomTags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (tag.Literal is not null)
                {
                    tags.Add(new SpanCustomTag { Name = name, Value = tag.Literal.Value });
                }
                else if (tag.Environment is not null)
                {
                    // Envoy reads the proxy's environment once, when the config is loaded.
                    tags.Add(new SpanCustomTag { Name = name, Value = environment(tag.Environment.Name!) ?? tag.Environment.DefaultValue });
                }
                else if (tag.Header is not null)
                {
                    tags.Add(new SpanCustomTag { Name = name, Header = tag.Header.Name!.ToLowerInvariant(), DefaultValue = tag.Header.DefaultValue });
                }
                else if (tag.Formatter is not null)
                {
                    diagnostics.Unsupported(telemetry, $"{path}.customTags.{name}.formatter", "a formatter custom tag");
                }
            }

            policy = policy with { CustomTags = tags };
        }

        return policy;
    }

    private static bool HasSelector(Telemetry telemetry) =>
        telemetry.Spec.Selector?.MatchLabels is { Count: > 0 } || telemetry.Spec.TargetRef is not null || telemetry.Spec.TargetRefs.Count > 0;
}

using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Tests.Infrastructure;
using Ingress.LocalGateway.Snapshot.Tracing;
using Ingress.LocalGateway.Compile;

namespace Ingress.LocalGateway.Tests.Tracing;

/// <summary>Which Telemetry resources apply to the gateway and how their tracing entries merge.</summary>
public sealed class TelemetryTracingCompilerTests
{
    private static (TracingPolicy Policy, IReadOnlyList<Diagnostic> Findings) Compile(string yaml, GatewayOptions? options = null)
    {
        var diagnostics = new CompileDiagnostics();
        var policy = TelemetryTracingCompiler.Compile(GatewayHarness.Load(yaml), options ?? new GatewayOptions(), diagnostics, _ => null);
        return (policy, diagnostics.Items);
    }

    [Fact]
    public void Without_Telemetry_the_gateway_samples_everything_with_Istios_defaults()
    {
        var (policy, findings) = Compile("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: unrelated}
            """);

        Assert.Same(TracingPolicy.Default, policy);
        Assert.Equal((100.0, false, true, true, false), (policy.SamplingPercentage, policy.Disabled, policy.UseRequestIdForSampling, policy.IstioTags, policy.DisableContextPropagation));
        Assert.Empty(findings);
    }

    [Fact]
    public void The_more_specific_Telemetry_wins_field_by_field_and_other_namespaces_or_selectors_do_not_apply()
    {
        var (policy, _) = Compile("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: root, namespace: istio-system}
            spec:
              tracing:
              - randomSamplingPercentage: 10
                useRequestIdForTraceSampling: false
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: gateways, namespace: gateways}
            spec:
              tracing:
              - randomSamplingPercentage: 25
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: other-workload, namespace: gateways}
            spec:
              selector: {matchLabels: {app: something-else}}
              tracing:
              - randomSamplingPercentage: 99
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: elsewhere, namespace: httpserver}
            spec:
              tracing:
              - randomSamplingPercentage: 77
            """, new GatewayOptions { Namespace = "gateways" });

        Assert.Equal((25.0, false), (policy.SamplingPercentage, policy.UseRequestIdForSampling));
    }

    [Fact]
    public void A_formatter_custom_tag_is_reported_as_not_supported_with_its_line()
    {
        var (policy, findings) = Compile("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              tracing:
              - customTags:
                  path:
                    formatter: {value: "%REQ(:PATH)%"}
                  env:
                    literal: {value: dev}
            """);

        Assert.Equal([new SpanCustomTag { Name = "env", Value = "dev" }], policy.CustomTags);
        var finding = Assert.Single(findings);
        Assert.Equal(("ING0201", Severity.Error, "spec.tracing[0].customTags.path.formatter: a formatter custom tag is not supported by the local gateway: remove it, or start with --allow-unsupported to serve the rest without it; see docs/gateway.md"),
            (finding.Code, finding.Severity, finding.Message));
        Assert.Equal(8, finding.Location.Line);
    }
}

using Ingress.LocalGateway.Runtime.Tracing;

namespace Ingress.LocalGateway.Tests.Tracing;

/// <summary>How the standard OpenTelemetry variables switch the gateway's tracing on and name its spans.</summary>
public sealed class TracingOptionsTests
{
    private static TracingOptions From(params (string Name, string Value)[] variables) =>
        TracingOptions.FromEnvironment(name => variables.FirstOrDefault(v => v.Name == name).Value, "istio-system");

    [Fact]
    public void Tracing_is_off_without_an_OTLP_endpoint() => Assert.Same(TracingOptions.Disabled, From());

    [Fact]
    public void An_OTLP_endpoint_turns_tracing_on_with_Istios_gateway_service_name()
    {
        var options = From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"));

        Assert.Equal(new TracingOptions { Enabled = true, ServiceName = "istio-ingressgateway.istio-system" }, options);
    }

    [Fact]
    public void The_traces_endpoint_alone_turns_tracing_on_and_OTEL_SERVICE_NAME_names_the_spans()
    {
        var options = From(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces"), ("OTEL_SERVICE_NAME", "edge"));

        Assert.Equal(new TracingOptions { Enabled = true, ServiceName = "edge" }, options);
    }

    [Theory]
    [InlineData("OTEL_SDK_DISABLED", "true")]
    [InlineData("OTEL_TRACES_EXPORTER", "none")]
    public void The_standard_switches_turn_tracing_off(string name, string value) =>
        Assert.Same(TracingOptions.Disabled, From(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"), (name, value)));
}

namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// Whether and where the gateway exports its trace spans. Tracing is on only when an OTLP endpoint is configured
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>), as a proxy with no tracer
/// configured neither traces nor injects trace headers.
/// </summary>
public sealed record TracingOptions
{
    /// <summary>No tracing: no span, no injected trace header, nothing exported.</summary>
    public static TracingOptions Disabled { get; } = new() { Enabled = false, ServiceName = "" };

    public required bool Enabled { get; init; }

    /// <summary>The <c>service.name</c> of the exported spans (Istio: the proxy's cluster, <c>istio-ingressgateway.istio-system</c>).</summary>
    public required string ServiceName { get; init; }

    /// <summary>
    /// The collector URL when given in code (tests); null leaves endpoint, protocol, headers and timeout to the
    /// standard <c>OTEL_EXPORTER_OTLP_*</c> variables, which the OpenTelemetry SDK reads itself.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Whether <see cref="Endpoint"/> takes OTLP over HTTP/protobuf (the full <c>/v1/traces</c> URL) rather than gRPC.</summary>
    public bool HttpProtobuf { get; init; }

    /// <summary>How long finished spans wait to be batched; null keeps <c>OTEL_BSP_SCHEDULE_DELAY</c> (default 5 s).</summary>
    public TimeSpan? ExportDelay { get; init; }

    /// <summary>
    /// Reads the standard variables: tracing is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> is set, unless <c>OTEL_SDK_DISABLED=true</c> or
    /// <c>OTEL_TRACES_EXPORTER=none</c>; the service name is <c>OTEL_SERVICE_NAME</c>, else Istio's
    /// <c>istio-ingressgateway.&lt;gateway namespace&gt;</c>.
    /// </summary>
    public static TracingOptions FromEnvironment(Func<string, string?> variable, string gatewayNamespace)
    {
        var endpoint = NonEmpty(variable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) ?? NonEmpty(variable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var disabled = string.Equals(NonEmpty(variable("OTEL_SDK_DISABLED")), "true", StringComparison.OrdinalIgnoreCase)
                       || string.Equals(NonEmpty(variable("OTEL_TRACES_EXPORTER")), "none", StringComparison.OrdinalIgnoreCase);
        if (endpoint is null || disabled)
        {
            return Disabled;
        }

        return new TracingOptions
        {
            Enabled = true,
            ServiceName = NonEmpty(variable("OTEL_SERVICE_NAME")) ?? DefaultServiceName(gatewayNamespace),
        };
    }

    /// <summary>The name Istio gives an ingress gateway's spans: its proxy cluster <c>istio-ingressgateway.&lt;ns&gt;</c>.</summary>
    public static string DefaultServiceName(string gatewayNamespace) => "istio-ingressgateway." + gatewayNamespace;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

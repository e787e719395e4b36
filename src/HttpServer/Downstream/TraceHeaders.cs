namespace HttpServer.Downstream;

/// <summary>The tracing headers Istio asks applications to forward, split by who writes them on the outgoing call.</summary>
/// <remarks>
/// https://istio.io/latest/docs/tasks/observability/distributed-tracing/overview/ and the Istio tracing FAQ.
/// W3C (<c>traceparent</c>, <c>tracestate</c>), <c>baggage</c> and B3 (<c>x-b3-*</c>, <c>b3</c>) are written fresh by the
/// OpenTelemetry propagator for the outgoing span, so they are never copied (a copy would be the caller's stale
/// span). The rest belong to tracers this service does not run, so they are copied as they came.
/// </remarks>
public static class TraceHeaders
{
    /// <summary>Headers copied from the incoming request to the downstream call, unchanged.</summary>
    public static IReadOnlyList<string> CopiedAsIs { get; } =
    [
        "x-request-id",
        "x-ot-span-context",
        "x-cloud-trace-context",
        "grpc-trace-bin",
        "sw8",
        "x-datadog-trace-id",
        "x-datadog-parent-id",
        "x-datadog-sampling-priority",
    ];

    /// <summary>Headers the propagator writes for the new client span.</summary>
    public static IReadOnlyList<string> WrittenByPropagator { get; } =
    [
        "traceparent", "tracestate", "baggage",
        "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "b3",
    ];
}

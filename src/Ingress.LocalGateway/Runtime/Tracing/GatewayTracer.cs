using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// Starts the gateway's spans and exports them with OTLP: one SERVER span per request (continuing the caller's B3 or
/// W3C context) and, per upstream attempt, a CLIENT child <c>router &lt;cluster&gt; egress</c>, as Istio's gateways do
/// (<c>spawn_upstream_span</c>). Exists only when tracing is on, so a gateway without it does no tracing work at all.
/// </summary>
public sealed class GatewayTracer : IDisposable
{
    /// <summary>The ActivitySource (and OTLP instrumentation scope) of the gateway's spans.</summary>
    public const string SourceName = "Ingress.LocalGateway";

    internal static readonly ActivitySource Source = new(SourceName);

    private readonly TracerProvider _provider;

    public GatewayTracer(TracingOptions options, GatewayOptions gateway)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gateway);
        Tags = new IstioSpanTags(gateway.Namespace, gateway.Labels);
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(SourceName)
            .SetSampler(new GatewaySampler())
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(options.ServiceName))
            .AddOtlpExporter(otlp =>
            {
                if (options.Endpoint is not null)
                {
                    otlp.Endpoint = options.Endpoint;
                    otlp.Protocol = options.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                }

                if (options.ExportDelay is { } delay)
                {
                    otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)delay.TotalMilliseconds;
                }
            })
            .Build();
    }

    /// <summary>The tags every server span carries (node id, Istio's workload tags).</summary>
    internal IstioSpanTags Tags { get; }

    /// <summary>
    /// Starts the request's server span from the caller's context (or a new trace) with the given decision, named
    /// <c>egress &lt;Host&gt;</c> until the route's decorator names it. Null when nothing listens (shut down).
    /// </summary>
    public RequestTrace? StartRequest(GatewayRequest request, in IncomingTraceContext incoming, bool sampled)
    {
        GatewaySampler.Next(sampled);
        Activity? server;
        if (incoming.HasParent)
        {
            var parent = new ActivityContext(incoming.TraceId, incoming.ParentSpanId,
                sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);
            server = Source.StartActivity("egress " + request.Authority, ActivityKind.Server, parent, startTime: request.StartTime);
        }
        else
        {
            // Whatever is current (Kestrel's own request activity) is not the gateway's parent: this is a new trace.
            Activity.Current = null;
            server = Source.StartActivity("egress " + request.Authority, ActivityKind.Server, default(ActivityContext), startTime: request.StartTime);
        }

        return server is null ? null : new RequestTrace(this, server);
    }

    /// <summary>Exports what is still buffered.</summary>
    public bool Flush(TimeSpan timeout) => _provider.ForceFlush((int)timeout.TotalMilliseconds);

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();
}

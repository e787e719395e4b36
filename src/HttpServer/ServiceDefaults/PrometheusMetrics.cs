using Prometheus;

namespace HttpServer.ServiceDefaults;

/// <summary>The application's own Prometheus registry: the service histogram plus .NET process and runtime metrics.</summary>
/// <remarks>
/// A registry per application instead of prometheus-net's static default one, so that several instances in one
/// process (the tests' call chain) keep separate counts.
/// </remarks>
public sealed class PrometheusMetrics : IDisposable
{
    private readonly IDisposable _runtimeMeters;

    /// <summary>Creates the registry and starts collecting runtime metrics into it.</summary>
    public PrometheusMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        DotNetStats.Register(Registry);
        // The runtime's own meter (GC, JIT, thread pool, exceptions) published as dotnet_* metrics.
        _runtimeMeters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Factory,
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == "System.Runtime",
        });

        ExecutionLatency = Factory.CreateHistogram(
            "httpserver_execution_latency_seconds",
            "Time spent answering /hello, by step.",
            new HistogramConfiguration
            {
                LabelNames = ["step"],
                // 1 ms doubling 15 times (up to 16.384 s): the buckets the user's Grafana dashboard expects.
                Buckets = Histogram.ExponentialBuckets(0.001, 2, 15),
            });
    }

    /// <summary>The registry served at <c>/metrics</c>.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics in <see cref="Registry"/>.</summary>
    public IMetricFactory Factory { get; }

    /// <summary><c>httpserver_execution_latency_seconds{step}</c>.</summary>
    public Histogram ExecutionLatency { get; }

    /// <inheritdoc />
    public void Dispose() => _runtimeMeters.Dispose();
}

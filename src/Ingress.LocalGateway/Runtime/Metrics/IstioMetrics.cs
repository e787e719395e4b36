using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Ingress.LocalGateway.Runtime.Metrics;

/// <summary>
/// Istio's standard request metrics as a gateway reports them (<c>reporter="source"</c>):
/// <c>istio_requests_total</c> and <c>istio_request_duration_milliseconds</c>, with Istio's label set, served in the
/// Prometheus text format.
/// </summary>
public sealed class IstioMetrics : IRequestObserver
{
    /// <summary>Istio's duration buckets (milliseconds).</summary>
    public static readonly double[] Buckets =
        [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
    private readonly string _sourceLabels;

    public IstioMetrics(string gatewayNamespace, IReadOnlyDictionary<string, string> gatewayLabels)
    {
        var app = gatewayLabels.TryGetValue("app", out var a) ? a : "istio-ingressgateway";
        var canonical = gatewayLabels.TryGetValue("service.istio.io/canonical-name", out var c) ? c : app;
        _sourceLabels =
            $"reporter=\"source\",source_workload=\"{Escape(app)}\",source_canonical_service=\"{Escape(canonical)}\"," +
            $"source_canonical_revision=\"latest\",source_workload_namespace=\"{Escape(gatewayNamespace)}\"," +
            $"source_principal=\"unknown\",source_app=\"{Escape(app)}\",source_version=\"unknown\",source_cluster=\"Kubernetes\"";
    }

    /// <inheritdoc />
    public void OnCompleted(RequestRecord record) =>
        Observe(record.DestinationService, record.DestinationLabels, record.ResponseCode, record.ResponseFlags, record.DurationExactMs);

    /// <summary>Counts one finished request (what the pipeline calls on every request; allocates nothing once its series exists).</summary>
    public void Observe(string? destinationService, IReadOnlyDictionary<string, string>? labels, int responseCode, string? responseFlags,
        double durationMs)
    {
        var app = Label(labels, "app", "unknown");
        var key = new SeriesKey(destinationService ?? "unknown", app, Label(labels, "version", "unknown"), Label(labels, "workload", app),
            responseCode, responseFlags ?? "-", "http");
        var series = _series.GetOrAdd(key, static _ => new Series());
        series.Observe(durationMs);
    }

    private static string Label(IReadOnlyDictionary<string, string>? labels, string name, string fallback) =>
        labels is not null && labels.TryGetValue(name, out var value) ? value : fallback;

    /// <summary>The total of <c>istio_requests_total</c> over every series (for tests and the admin page).</summary>
    public long TotalRequests => _series.Values.Sum(s => s.Count);

    /// <summary>Writes the Prometheus text exposition.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        var snapshot = _series.ToArray();
        text.Append("# HELP istio_requests_total Total requests.\n# TYPE istio_requests_total counter\n");
        foreach (var (key, series) in snapshot)
        {
            text.Append("istio_requests_total{").Append(Labels(key)).Append("} ")
                .Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("# HELP istio_request_duration_milliseconds Request duration in milliseconds.\n")
            .Append("# TYPE istio_request_duration_milliseconds histogram\n");
        foreach (var (key, series) in snapshot)
        {
            var labels = Labels(key);
            var (counts, count, sum) = series.Read();
            long cumulative = 0;
            for (var i = 0; i < Buckets.Length; i++)
            {
                cumulative += counts[i];
                text.Append("istio_request_duration_milliseconds_bucket{").Append(labels).Append(",le=\"")
                    .Append(Buckets[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                    .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append("istio_request_duration_milliseconds_bucket{").Append(labels).Append(",le=\"+Inf\"} ")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("istio_request_duration_milliseconds_sum{").Append(labels).Append("} ")
                .Append(sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
            text.Append("istio_request_duration_milliseconds_count{").Append(labels).Append("} ")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    private string Labels(SeriesKey key)
    {
        var service = key.DestinationService;
        var parts = service.Split('.');
        var isCluster = service.EndsWith(".svc.cluster.local", StringComparison.Ordinal) && parts.Length >= 3;
        var serviceName = isCluster ? parts[0] : service;
        var serviceNamespace = isCluster ? parts[1] : "unknown";
        var app = key.App;
        var version = key.Version;
        return _sourceLabels +
               $",destination_workload=\"{Escape(key.Workload)}\",destination_workload_namespace=\"{Escape(serviceNamespace)}\"" +
               $",destination_principal=\"unknown\",destination_app=\"{Escape(app)}\",destination_version=\"{Escape(version)}\"" +
               $",destination_service=\"{Escape(service)}\",destination_canonical_service=\"{Escape(app)}\"" +
               $",destination_canonical_revision=\"{Escape(version == "unknown" ? "latest" : version)}\"" +
               $",destination_service_name=\"{Escape(serviceName)}\",destination_service_namespace=\"{Escape(serviceNamespace)}\"" +
               $",destination_cluster=\"{(service == "unknown" ? "unknown" : "Kubernetes")}\",request_protocol=\"{key.Protocol}\"" +
               $",response_code=\"{key.ResponseCode.ToString(CultureInfo.InvariantCulture)}\",grpc_response_status=\"\"" +
               $",response_flags=\"{Escape(key.ResponseFlags)}\",connection_security_policy=\"unknown\"";
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private readonly record struct SeriesKey(
        string DestinationService, string App, string Version, string Workload, int ResponseCode, string ResponseFlags, string Protocol);

    private sealed class Series
    {
        private readonly long[] _buckets = new long[Buckets.Length];
        private readonly Lock _lock = new();
        private long _count;
        private double _sum;

        public long Count => Interlocked.Read(ref _count);

        public void Observe(double milliseconds)
        {
            lock (_lock)
            {
                _count++;
                _sum += milliseconds;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (milliseconds <= Buckets[i])
                    {
                        _buckets[i]++;
                        break;
                    }
                }
            }
        }

        public (long[] Buckets, long Count, double Sum) Read()
        {
            lock (_lock)
            {
                return ((long[])_buckets.Clone(), _count, _sum);
            }
        }
    }
}

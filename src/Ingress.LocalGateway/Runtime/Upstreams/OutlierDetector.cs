using Ingress.LocalGateway.Snapshot.Upstreams;
namespace Ingress.LocalGateway.Runtime.Upstreams;

/// <summary>
/// Envoy's outlier detection for one cluster (<c>source/common/upstream/outlier_detection_impl.cc</c>): per endpoint
/// it counts consecutive 5xx and consecutive gateway errors (502, 503, 504); reaching a threshold ejects the endpoint
/// at once if fewer than <see cref="OutlierSettings.MaxEjectionPercent"/> of the endpoints are ejected. Ejected
/// endpoints come back at the first interval sweep after <c>min(base × ejections, max)</c>; the ejection count drops
/// by one at each sweep an endpoint stays healthy. Sweeps run at creation + k × interval and are evaluated lazily
/// when the detector is used, so no timer runs per cluster.
/// </summary>
public sealed class OutlierDetector
{
    // Beyond this many missed sweeps the outcome no longer changes (every ejection has expired and every count is 0).
    private const int MaxSweepsReplayed = 4096;

    private readonly OutlierSettings _settings;
    private readonly TimeProvider _time;
    private readonly Monitor[] _monitors;
    private readonly Lock _lock = new();
    private DateTimeOffset _lastSweep;
    private int _ejected;

    public OutlierDetector(OutlierSettings settings, int endpointCount, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _monitors = new Monitor[endpointCount];
        for (var i = 0; i < endpointCount; i++)
        {
            _monitors[i] = new Monitor();
        }

        _lastSweep = time.GetUtcNow();
    }

    /// <summary>The settings it enforces.</summary>
    public OutlierSettings Settings => _settings;

    /// <summary>How many endpoints are ejected now.</summary>
    public int EjectedCount
    {
        get
        {
            lock (_lock)
            {
                SweepUntil(_time.GetUtcNow());
                return _ejected;
            }
        }
    }

    /// <summary>Whether an endpoint is ejected now.</summary>
    public bool IsEjected(int endpoint)
    {
        lock (_lock)
        {
            SweepUntil(_time.GetUtcNow());
            return _monitors[endpoint].Ejected;
        }
    }

    /// <summary>
    /// The endpoints to balance over: the ones not ejected, or all of them when the healthy share is below the panic
    /// threshold (<c>minHealthPercent</c>), written to <paramref name="indexes"/> (a slot per endpoint); returns how
    /// many, 0 when every endpoint is ejected and there is no panic (503 UH).
    /// </summary>
    public int Healthy(Span<int> indexes)
    {
        lock (_lock)
        {
            SweepUntil(_time.GetUtcNow());
            var healthy = 0;
            for (var i = 0; i < _monitors.Length; i++)
            {
                if (!_monitors[i].Ejected)
                {
                    indexes[healthy++] = i;
                }
            }

            if (_monitors.Length > 0 && 100.0 * healthy / _monitors.Length < _settings.MinHealthPercent)
            {
                for (var i = 0; i < _monitors.Length; i++)
                {
                    indexes[i] = i;
                }

                return _monitors.Length;
            }

            return healthy;
        }
    }

    /// <summary>Records a response status (or the status Envoy maps a local-origin failure to) from an endpoint.</summary>
    public void Report(int endpoint, int status)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            SweepUntil(now);
            var monitor = _monitors[endpoint];
            if (status is < 500 or > 599)
            {
                monitor.Consecutive5xx = 0;
                monitor.ConsecutiveGateway = 0;
                return;
            }

            if (status is 502 or 503 or 504)
            {
                if (++monitor.ConsecutiveGateway == _settings.ConsecutiveGatewayErrors)
                {
                    // Envoy resets the count when the detection fires, ejected or not, so it can fire again later.
                    monitor.ConsecutiveGateway = 0;
                    if (_settings.EnforceGatewayErrors)
                    {
                        TryEject(monitor, now);
                    }
                }
            }
            else
            {
                monitor.ConsecutiveGateway = 0;
            }

            if (++monitor.Consecutive5xx == _settings.Consecutive5xx)
            {
                monitor.Consecutive5xx = 0;
                if (_settings.Enforce5xx)
                {
                    TryEject(monitor, now);
                }
            }
        }
    }

    private void TryEject(Monitor monitor, DateTimeOffset now)
    {
        if (monitor.Ejected || 100.0 * _ejected / _monitors.Length >= _settings.MaxEjectionPercent)
        {
            return;
        }

        monitor.Ejected = true;
        monitor.EjectedAt = now;
        var maxBackoff = Math.Max(1, (int)Math.Ceiling(_settings.MaxEjectionTime / _settings.BaseEjectionTime));
        if (monitor.Backoff < maxBackoff)
        {
            monitor.Backoff++;
        }

        _ejected++;
    }

    private void SweepUntil(DateTimeOffset now)
    {
        var interval = _settings.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var due = (long)((now - _lastSweep) / interval);
        if (due <= 0)
        {
            return;
        }

        var replayed = Math.Min(due, MaxSweepsReplayed);
        var first = _lastSweep + (interval * (due - replayed + 1));
        for (var i = 0; i < replayed; i++)
        {
            Sweep(first + (interval * i));
        }

        _lastSweep += interval * due;
    }

    private void Sweep(DateTimeOffset tick)
    {
        foreach (var monitor in _monitors)
        {
            if (!monitor.Ejected)
            {
                if (monitor.UnejectedAt is { } back && tick - back >= _settings.Interval && monitor.Backoff > 0)
                {
                    monitor.Backoff--;
                }

                continue;
            }

            var ejection = _settings.BaseEjectionTime * monitor.Backoff;
            if (ejection > _settings.MaxEjectionTime)
            {
                ejection = _settings.MaxEjectionTime;
            }

            if (tick - monitor.EjectedAt >= ejection)
            {
                monitor.Ejected = false;
                monitor.UnejectedAt = tick;
                monitor.Consecutive5xx = 0;
                monitor.ConsecutiveGateway = 0;
                _ejected--;
            }
        }
    }

    private sealed class Monitor
    {
        public int Consecutive5xx;
        public int ConsecutiveGateway;
        public bool Ejected;
        public DateTimeOffset EjectedAt;
        public DateTimeOffset? UnejectedAt;
        public int Backoff;
    }
}

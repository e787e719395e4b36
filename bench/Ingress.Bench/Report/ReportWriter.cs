using System.Globalization;
using System.Text;
using Ingress.Bench.Common;

namespace Ingress.Bench.Report;

/// <summary>
/// Turns results.tsv into the markdown tables of docs/performance.md: medians across rounds, ratios to nginx, the
/// latency added over calling the backend directly, and the targets of issue 7 against what was measured.
/// </summary>
public static class ReportWriter
{
    private static readonly string[] Severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
    private static readonly string[] SaturationRows = ["gateway", "nginx", "haproxy", "yarp", "direct"];
    private static readonly string[] RateRows = ["direct", "gateway", "nginx", "haproxy", "yarp"];
    private static readonly string[] NativePhases = ["analyze", "startup", "rate", "sat", "service", "end"];

    /// <summary>Entry point of the <c>report</c> verb: prints markdown.</summary>
    public static int Run(BenchArgs options)
    {
        var table = ResultsTable.Read(options.Required("tsv"));
        var machine = options.Optional("machine") is { } path && File.Exists(path) ? File.ReadAllText(path) : "";
        Console.Write(Render(table, machine));
        return 0;
    }

    /// <summary>The whole report.</summary>
    public static string Render(ResultsTable t, string machine)
    {
        var md = new StringBuilder();
        md.AppendLine("### Machine and run").AppendLine().AppendLine("```").Append(machine.TrimEnd()).AppendLine().AppendLine("```").AppendLine();
        md.AppendLine("Values are medians across rounds; errors are summed. `×nginx` is the ratio to nginx measured in the same run.").AppendLine();
        Saturation(t, md);
        Profile(t, md);
        Allocations(t, md);
        Rate(t, md);
        Scale(t, md);
        Startup(t, md);
        Service(t, md);
        Reliability(t, md);
        Native(t, md);
        Targets(t, md);
        return md.ToString();
    }

    private static void Saturation(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("sat"))
        {
            return;
        }

        md.AppendLine("### Saturation through a TLS-terminating proxy (`/test/hello` → `/hello`, 1 KB)").AppendLine();
        md.AppendLine("| contender | HTTP/1.1 req/s | ×nginx | p50 ms | p99 ms | errors | HTTP/2 req/s | ×nginx | p50 ms | p99 ms | errors |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var n1 = t.Median("sat", "nginx", "h1_rps");
        var n2 = t.Median("sat", "nginx", "h2_rps");
        foreach (var c in SaturationRows)
        {
            var label = c == "direct" ? "backend direct (plain HTTP, no proxy)" : Label(c);
            md.Append(CultureInfo.InvariantCulture, $"| {label} | {F0(t.Median("sat", c, "h1_rps"))} | {Ratio(t.Median("sat", c, "h1_rps"), n1)} | ")
              .Append(CultureInfo.InvariantCulture, $"{F2(t.Median("sat", c, "h1_p50_ms"))} | {F2(t.Median("sat", c, "h1_p99_ms"))} | {F0(t.Sum("sat", c, "h1_errors"))} | ");
            md.AppendLine(c == "direct"
                ? "— | — | — | — | — |"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{F0(t.Median("sat", c, "h2_rps"))} | {Ratio(t.Median("sat", c, "h2_rps"), n2)} | {F2(t.Median("sat", c, "h2_p50_ms"))} | {F2(t.Median("sat", c, "h2_p99_ms"))} | {F0(t.Sum("sat", c, "h2_errors"))} |"));
        }

        md.AppendLine().AppendLine("HTTP/1.1: `wrk -t2 -c64 --latency`; HTTP/2: `h2load -t2 -c32 -m10` (percentiles from its per-request log).").AppendLine();
    }

    private static void Profile(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("profile"))
        {
            return;
        }

        md.AppendLine("### Profile of our gateway at saturation (`dotnet-counters collect`, System.Runtime)").AppendLine();
        md.AppendLine("| req/s | CPU ms per request | bytes allocated per request | gen0 / gen1 / gen2 GCs | GC pause s | lock contentions | exceptions | JIT s | thread-pool threads (max) |");
        md.AppendLine("|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        string V(string metric) => t.Texts("profile", "gateway", metric) is [var v, ..] ? v : "—";
        md.AppendLine($"| {F0(t.Median("profile", "gateway", "h1_rps"))} | {V("cpu_ms_per_request")} | {V("alloc_bytes_per_request")} | " +
                      $"{V("gen0_collections")} / {V("gen1_collections")} / {V("gen2_collections")} | {V("gc_pause_s")} | {V("lock_contentions")} | " +
                      $"{V("exceptions")} | {V("jit_time_s")} | {V("threadpool_threads_max")} |").AppendLine();
    }

    private static void Allocations(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("alloc"))
        {
            return;
        }

        md.AppendLine("### Bytes allocated per request (`ingress-bench alloc`: exact, in one process, plain HTTP, access log off)").AppendLine();
        md.AppendLine("| build | per round | median | × baseline |").AppendLine("|---|---|---:|---:|");
        var baseline = t.Median("alloc", "baseline", "gateway_bytes_per_request");
        foreach (var c in t.Contenders("alloc").Where(c => c != "direct").OrderBy(c => c == "baseline" ? 1 : 0))
        {
            var label = c == "baseline" ? "baseline (`INGRESS_BASELINE_BIN`)" : "this build";
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {string.Join(", ", t.Texts("alloc", c, "gateway_bytes_per_request"))} | {F0(t.Median("alloc", c, "gateway_bytes_per_request"))} | {Ratio(t.Median("alloc", c, "gateway_bytes_per_request"), baseline)} |"));
        }

        md.AppendLine().AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"The gateway's share: the process's `GC.GetTotalAllocatedBytes` over 10,000 requests, minus the same requests sent to the backend directly ({F0(t.Median("alloc", "direct", "process_bytes_per_request"))} bytes per request for client and backend).")).AppendLine();
    }

    private static void Rate(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("rate"))
        {
            return;
        }

        md.AppendLine("### Cost at a fixed 1,000 req/s (1 KB, TLS, HTTP/1.1 keep-alive, 16 connections)").AppendLine();
        md.AppendLine("| contender | achieved req/s | p50 ms | p90 ms | p99 ms | added p90 ms | added p99 ms | CPU s per 1,000 req (= vCPU at 1,000 rps) | RSS MB | of which anonymous MB | errors |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var d90 = t.Median("rate", "direct", "p90_ms");
        var d99 = t.Median("rate", "direct", "p99_ms");
        foreach (var c in RateRows)
        {
            var direct = c == "direct";
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(direct ? "backend direct (plain HTTP)" : Label(c))} | {F0(t.Median("rate", c, "rps"))} | {F2(t.Median("rate", c, "p50_ms"))} | {F2(t.Median("rate", c, "p90_ms"))} | {F2(t.Median("rate", c, "p99_ms"))} | ") +
                (direct ? "— | — | " : $"{Delta(t.Median("rate", c, "p90_ms"), d90)} | {Delta(t.Median("rate", c, "p99_ms"), d99)} | ") +
                string.Create(CultureInfo.InvariantCulture,
                    $"{F3(t.Median("rate", c, "cpu_s_per_1000"))} | {F1(t.Median("rate", c, "rss_mb"))} | {F1(t.Median("rate", c, "anon_mb"))} | {F0(t.Sum("rate", c, "errors"))} |"));
        }

        md.AppendLine().AppendLine("Load: `hey -z <d> -c 16 -q 62.5` (16 workers × 62.5 req/s; hey's rate limit is per worker and closed-loop, so a slow " +
            "response delays the next request instead of queueing it). CPU from `/proc/<pid>/stat` utime+stime over the run " +
            "(nginx: master + workers); the backend's own CPU is not included. RSS from `/proc/<pid>/status` VmRSS after the run " +
            "(nginx: sum over its processes, so shared pages count more than once); \"anonymous\" is the `Anonymous:` line of " +
            "`/proc/<pid>/smaps_rollup`, memory the process owns, without the mapped runtime and library files. \"Added\" is the percentile minus the same " +
            "percentile calling the backend directly over plain HTTP, as in Istio's method (so it includes TLS). " +
            "hey reports latencies to 0.1 ms.").AppendLine();
    }

    private static void Scale(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("scale"))
        {
            return;
        }

        md.AppendLine("### Route count (our gateway)").AppendLine();
        md.AppendLine("| routes (hosts × paths) | config KB | HTTP/1.1 req/s | × 1 route | p50 ms | p99 ms | reload ms (each round) | RSS MB |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|");
        var baseline = t.Median("scale", "1", "h1_rps");
        foreach (var n in t.Contenders("scale"))
        {
            var count = int.Parse(n, CultureInfo.InvariantCulture);
            var shape = count >= 100 ? $"{count / 100} × 100" : $"1 × {count}";
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {count:N0} ({shape}) | {F0(t.Median("scale", n, "config_kb"))} | {F0(t.Median("scale", n, "h1_rps"))} | {Ratio(t.Median("scale", n, "h1_rps"), baseline)} | {F2(t.Median("scale", n, "h1_p50_ms"))} | {F2(t.Median("scale", n, "h1_p99_ms"))} | {string.Join(", ", t.Texts("scale", n, "reload_ms"))} | {F1(t.Median("scale", n, "rss_mb"))} |"));
        }

        md.AppendLine().AppendLine("The request matches the last of its host's routes (every other route of the host is tried first). Reload: from the " +
            "write of the changed file to the first 200 from a route only the new file has (includes the gateway's 200 ms " +
            "debounce). Each round reloads 1 → 1,000 → 10,000 in place, in the running gateway.").AppendLine();
    }

    private static void Startup(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("startup"))
        {
            return;
        }

        md.AppendLine("### Start-up (our gateway, Release build, `--access-log off`)").AppendLine();
        md.AppendLine("| config | exec → `/ready` 200 ms | exec → first proxied 200 ms |").AppendLine("|---|---:|---:|");
        foreach (var c in t.Contenders("startup"))
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c switch { "seed" => "the user's manifests", "seed-r2r" => "the user's manifests, gateway published ReadyToRun", "bare-kestrel" => "reference: a bare Kestrel endpoint (exec → its first 200)", _ => $"{c} routes" }} | {F0(t.Median("startup", c, "ready_ms"))} | {F0(t.Median("startup", c, "first_200_ms"))} |"));
        }

        md.AppendLine().AppendLine("Median of the runs; polling every 2 ms; the first proxied request includes its TLS handshake and the first " +
            "upstream connection.").AppendLine();
    }

    private static void Service(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("service"))
        {
            return;
        }

        md.AppendLine("### The service's instrumentation (`GET /hello` → `hello.`, plain HTTP, `wrk -t2 -c64`)").AppendLine();
        md.AppendLine("| endpoint | req/s | × bare | p50 ms | p99 ms |").AppendLine("|---|---:|---:|---:|---:|");
        var bare = t.Median("service", "bare-kestrel", "h1_rps");
        var labels = new Dictionary<string, string>
        {
            ["bare-kestrel"] = "bare Kestrel endpoint (minimal API, no middleware)",
            ["service"] = "httpserver: tracing + OTLP export + Prometheus metrics + access log (its defaults)",
            ["service-no-access-log"] = "httpserver: the same with `AccessLog__Format=Off`",
            ["service-mesh-unsampled"] = "httpserver: its defaults, each request with an unsampled `traceparent` (a mesh sampling 1 %)",
        };
        foreach (var c in labels.Keys)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {labels[c]} | {F0(t.Median("service", c, "h1_rps"))} | {Ratio(t.Median("service", c, "h1_rps"), bare)} | {F2(t.Median("service", c, "h1_p50_ms"))} | {F2(t.Median("service", c, "h1_p99_ms"))} |"));
        }

        md.AppendLine();
    }

    private static void Reliability(ResultsTable t, StringBuilder md)
    {
        if (t.Has("reliability"))
        {
            md.AppendLine("### Reliability under load (our gateway, `wrk -t2 -c16`, every status counted)").AppendLine();
            md.AppendLine("| run | requests | non-2xx | socket errors: connect | socket errors: read/write/timeout | statuses | notes |");
            md.AppendLine("|---|---:|---:|---:|---:|---|---|");
            var notes = new Dictionary<string, string[]>
            {
                ["reload"] = ["config_versions", "last_rotation_served", "listener_closures"],
                ["reload-inplace"] = ["config_versions", "last_rotation_served", "listener_closures"],
                ["drain-service"] = ["service_exit_s"],
                ["drain-gateway"] = ["gateway_exit_s", "gateway_exit_code"],
            };
            foreach (var run in t.Contenders("reliability"))
            {
                var extra = notes.GetValueOrDefault(run, [])
                    .Select(m => $"{m.Replace('_', ' ')}: {string.Join(", ", t.Texts("reliability", run, m))}");
                md.AppendLine($"| {run} | {First(t, run, "requests")} | {First(t, run, "non2xx")} | {First(t, run, "connect_errors")} | " +
                              $"{First(t, run, "read_write_timeout_errors")} | {First(t, run, "statuses").Trim()} | {string.Join("; ", extra)} |");
            }

            md.AppendLine();
        }

        if (t.Has("tls"))
        {
            md.AppendLine("### testssl against the gateway's HTTPS listener").AppendLine();
            md.AppendLine("| CRITICAL | HIGH | MEDIUM | LOW |").AppendLine("|---:|---:|---:|---:|");
            md.AppendLine($"| {string.Join(" | ", Severities.Select(s => string.Join(",", t.Texts("tls", "gateway", s))))} |").AppendLine();
        }

        if (t.Has("malformed"))
        {
            md.AppendLine("### Malformed requests").AppendLine();
            md.AppendLine("| contender | cases not answered 4xx/5xx or closed | serves normally afterwards | process alive |").AppendLine("|---|---:|---|---|");
            foreach (var c in t.Contenders("malformed"))
            {
                md.AppendLine($"| {Label(c)} | {First(t, c, "not_rejected", "malformed")} | {First(t, c, "alive_after", "malformed")} | {First(t, c, "process_alive", "malformed")} |");
            }

            md.AppendLine();
        }

        if (t.Has("malformed_case"))
        {
            var contenders = t.Contenders("malformed_case");
            md.AppendLine($"| case | {string.Join(" | ", contenders.Select(Label))} |");
            md.AppendLine($"|---|{string.Concat(contenders.Select(_ => "---|"))}");
            foreach (var name in t.Rounds("malformed_case"))
            {
                md.AppendLine($"| {name} | {string.Join(" | ", contenders.Select(c => t.Value("malformed_case", c, name, "result") ?? "—"))} |");
            }

            md.AppendLine().AppendLine("Each case on a fresh TLS connection; `(proxy)` = answered by the proxy itself, `(backend)` = the proxy " +
                "forwarded it and the backend answered. `tolerated` = the RFC lets a recipient accept it (bare LF, RFC 9112 §2.2; " +
                "CTL other than CR/LF/NUL in a field value, RFC 9110 §5.5).").AppendLine();
        }

        if (t.Has("soak"))
        {
            md.AppendLine("### Soak (our gateway)").AppendLine();
            md.AppendLine("| target req/s | achieved req/s | failed | RSS first MB | RSS last MB | RSS max MB |").AppendLine("|---:|---:|---:|---:|---:|---:|");
            md.AppendLine($"| {First(t, "gateway", "target_rps", "soak")} | {First(t, "gateway", "achieved_rps", "soak")} | {First(t, "gateway", "failed", "soak")} | " +
                          $"{First(t, "gateway", "rss_first_mb", "soak")} | {First(t, "gateway", "rss_last_mb", "soak")} | {First(t, "gateway", "rss_max_mb", "soak")} |").AppendLine();
        }
    }

    private static void Targets(ResultsTable t, StringBuilder md)
    {
        md.AppendLine("### Issue 7's targets against this run").AppendLine();
        md.AppendLine("| target | measured | met |").AppendLine("|---|---|---|");
        void Row(string target, double? value, string unit, Func<double, bool> met) =>
            md.AppendLine(value is null ? $"| {target} | not measured | — |"
                : string.Create(CultureInfo.InvariantCulture, $"| {target} | {value:0.###} {unit} | {(met(value.Value) ? "yes" : "**no**")} |"));

        double? RatioOf(string metric, string other) =>
            t.Median("sat", "gateway", metric) is { } g && t.Median("sat", other, metric) is { } o && o > 0 ? g / o : null;
        Row("HTTP/1.1 saturation ≥ nginx", RatioOf("h1_rps", "nginx"), "× nginx", v => v >= 1);
        Row("HTTP/1.1 saturation ≥ HAProxy", RatioOf("h1_rps", "haproxy"), "× HAProxy", v => v >= 1);
        Row("HTTP/2 saturation ≥ nginx", RatioOf("h2_rps", "nginx"), "× nginx", v => v >= 1);
        Row("HTTP/2 saturation ≥ HAProxy", RatioOf("h2_rps", "haproxy"), "× HAProxy", v => v >= 1);
        Row("≤ 0.10 vCPU per 1,000 req/s", t.Median("rate", "gateway", "cpu_s_per_1000"), "vCPU", v => v <= 0.10);
        Row("< 60 MB resident at 1,000 req/s", t.Median("rate", "gateway", "rss_mb"), "MB", v => v < 60);
        Row("< 0.5 ms added p99", t.Median("rate", "gateway", "p99_ms") - t.Median("rate", "direct", "p99_ms"), "ms", v => v < 0.5);
        var s1 = t.Median("scale", "1", "h1_rps");
        var s10k = t.Median("scale", "10000", "h1_rps");
        Row("1 → 10,000 routes costs < 10 % throughput", s1 is { } a && s10k is { } b && a > 0 ? (1 - (b / a)) * 100 : null, "% lost", v => v < 10);
        Row("ready in < 300 ms", t.Median("startup", "seed", "ready_ms"), "ms", v => v < 300);
        var bare = t.Median("service", "bare-kestrel", "h1_rps");
        var svc = t.Median("service", "service", "h1_rps");
        Row("instrumentation costs the service < 10 % (every request sampled)", bare is { } x && svc is { } y && x > 0 ? (1 - (y / x)) * 100 : null, "% of bare req/s", v => v < 10);
        var mesh = t.Median("service", "service-mesh-unsampled", "h1_rps");
        if (mesh is not null)
        {
            Row("instrumentation costs the service < 10 % (unsampled parent, as in a mesh)", bare is { } bm && bm > 0 ? (1 - (mesh.Value / bm)) * 100 : null, "% of bare req/s", v => v < 10);
        }

        foreach (var run in t.Contenders("reliability"))
        {
            var failed = (t.Median("reliability", run, "non2xx") ?? 0) + (t.Median("reliability", run, "read_write_timeout_errors") ?? 0)
                         + (run == "drain-gateway" ? 0 : t.Median("reliability", run, "connect_errors") ?? 0);
            Row($"zero failed requests: {run}{(run == "drain-gateway" ? " (connects refused after exit not counted)" : "")}", failed, "failed", v => v == 0);
        }

        md.AppendLine();
    }

    private static string First(ResultsTable t, string contender, string metric, string section = "reliability") =>
        t.Texts(section, contender, metric) is [var first, ..] ? first : "—";

    private static string Label(string contender) => contender switch
    {
        "gateway" => "**our gateway** (`ingress gateway`)",
        "nginx" => "nginx",
        "haproxy" => "HAProxy",
        "yarp" => "plain YARP (Kestrel TLS + forwarder, one route, nothing else)",
        _ => contender,
    };

    private static void Native(ResultsTable t, StringBuilder md)
    {
        if (!t.Has("native"))
        {
            return;
        }

        md.AppendLine("### Native AOT against the JIT build (same run, same machine)").AppendLine();
        md.AppendLine("| measure | JIT | native | native ÷ JIT | target |").AppendLine("|---|---:|---:|---:|---|");
        void Line(string label, double? jit, double? native, string target) =>
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {label} | {F1(jit)} | {F1(native)} | {Ratio(native, jit)} | {target} |"));
        Line("`ingress analyze` of the seed, exec → exit, ms", t.Median("native", "jit", "analyze_ms"), t.Median("native", "native", "analyze_ms"), "< 100 ms");
        Line("gateway exec → `/ready` 200, ms", t.Median("native", "jit", "ready_ms"), t.Median("native", "native", "ready_ms"), "< 150 ms");
        Line("gateway exec → first proxied 200, ms", t.Median("native", "jit", "first_200_ms"), t.Median("native", "native", "first_200_ms"), "");
        Line("gateway RSS at 1,000 req/s, MB", t.Median("native", "jit", "rate_rss_mb"), t.Median("native", "native", "rate_rss_mb"), "< 60 MB");
        Line("gateway CPU s per 1,000 requests at 1,000 req/s", t.Median("native", "jit", "rate_cpu_s_per_1000"), t.Median("native", "native", "rate_cpu_s_per_1000"), "");
        Line("gateway saturation, HTTP/1.1 req/s (wrk -c64)", t.Median("native", "gateway-jit", "h1_rps"), t.Median("native", "gateway-native", "h1_rps"), "≥ 0.95× JIT");
        Line("gateway RSS after saturation, MB", t.Median("native", "jit", "sat_rss_mb"), t.Median("native", "native", "sat_rss_mb"), "");
        Line("service /hello req/s (wrk -c64, tracing + metrics + access log)", t.Median("native", "service-jit", "h1_rps"), t.Median("native", "service-native", "h1_rps"), "");
        Line("service RSS under that load, MB", t.Median("native", "service-jit", "rss_mb"), t.Median("native", "service-native", "rss_mb"), "< 40 MB");
        md.AppendLine().AppendLine("Load average (1 min) at each phase: " + string.Join(", ",
            NativePhases.Select(phase => $"{phase} {t.Value("native", "meta", phase, "load") ?? "—"}")) +
            $". Binaries: ingress {F0(t.Median("native", "build", "ingress_mb"))} MB, httpserver {F0(t.Median("native", "build", "httpserver_mb"))} MB" +
            (t.Median("native", "build", "release_s") is { } seconds ? $"; build/release.sh took {F0(seconds)} s." : ".")).AppendLine();
    }

    private static string Ratio(double? value, double? baseline) =>
        value is { } v && baseline is { } b && b > 0 ? (v / b).ToString("0.00", CultureInfo.InvariantCulture) : "—";

    private static string Delta(double? value, double? baseline) =>
        value is { } v && baseline is { } b ? (v - b).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : "—";

    private static string F0(double? v) => v?.ToString("N0", CultureInfo.InvariantCulture) ?? "—";

    private static string F1(double? v) => v?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—";

    private static string F2(double? v) => v?.ToString("0.00", CultureInfo.InvariantCulture) ?? "—";

    private static string F3(double? v) => v?.ToString("0.000", CultureInfo.InvariantCulture) ?? "—";
}

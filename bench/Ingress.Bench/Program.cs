using Ingress.Bench.Alloc;
using Ingress.Bench.Backend;
using Ingress.Bench.Common;
using Ingress.Bench.Probes;
using Ingress.Bench.Report;
using Ingress.Bench.Yarp;

// One executable, one verb per job; bench/run.sh calls these between the external load generators.
var verb = args.Length > 0 ? args[0] : "help";
var options = BenchArgs.Parse(args.Skip(1).ToArray());
try
{
    return verb switch
    {
        "backend" => await BackendServer.RunAsync(options),
        "startup" => await StartupProbe.RunAsync(options),
        "reload" => await ReloadProbe.RunAsync(options),
        "wait" => await WaitProbe.RunAsync(options),
        "malformed" => await MalformedProbe.RunAsync(options),
        "report" => ReportWriter.Run(options),
        "yarp" => await PlainYarpProxy.RunAsync(options),
        "alloc" => await AllocationProbe.RunAsync(options),
        _ => Usage(),
    };
}
catch (BenchArgsException ex)
{
    await Console.Error.WriteLineAsync($"ingress-bench {verb}: {ex.Message}");
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: ingress-bench <verb> [--option value ...]
          backend   --port P [--size 1024] [--body TEXT]      HTTP/1.1 backend: every GET path answers 200 with the body;
                                                              POST /v1/* answers 200 empty (an OTLP/HTTP sink)
          startup   --runs N --admin URL --probe URL [--connect ip] -- CMD ARGS...
                                                              exec -> /ready 200 and -> first proxied 200, per run
          reload    --target FILE --source FILE --probe URL [--connect ip] [--expect 200] [--timeout 60]
                                                              replace a watched file, time until the probe answers
          wait      --probe URL [--connect ip] [--expect 200] [--timeout 60]
          malformed --probe URL [--connect ip] [--slow 30]     bad requests over TLS, statuses, then a health check
          yarp      --port P --backend URL --cert PEM --key PEM  plain YARP TLS proxy: /test/hello -> /hello, else 404
          report    --tsv results.tsv [--machine machine.txt]  markdown tables of a run
          alloc     --gateway-dir DIR [--baseline-dir DIR] [--requests 20000] [--rounds 3] [--concurrency 8] [--types yes]
                                                              exact bytes allocated per request by gateway builds (their
                                                              output folders), loaded and run in this process
        """);
    return 2;
}

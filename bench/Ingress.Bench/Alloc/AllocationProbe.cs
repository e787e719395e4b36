using System.Net;
using System.Reflection;
using System.Runtime.Loader;
using Ingress.Bench.Common;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingress.Bench.Alloc;

/// <summary>
/// Bytes allocated per request by builds of the gateway, counted exactly (<see cref="GC.GetTotalAllocatedBytes(bool)"/>)
/// in one process: each build is loaded from its output folder into its own load context and served on 127.0.0.1, a
/// 1 KB backend and the client run here too, and the client-and-backend cost (the same requests sent to the backend
/// directly) is subtracted. Unlike counters sampled from outside, the count does not depend on how busy the machine is.
/// </summary>
public static class AllocationProbe
{
    private const string Host = "httpsserver.kuopenx.io";
    private const string Service = "httpserver.httpserver.svc.cluster.local";

    /// <summary>Entry point of the <c>alloc</c> verb.</summary>
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var builds = new List<(string Name, string Dir)> { ("this-build", options.Required("gateway-dir")) };
        if (options.Optional("baseline-dir") is { } baseline)
        {
            builds.Add(("baseline", baseline));
        }

        var requests = options.Int("requests", 20000);
        var rounds = options.Int("rounds", 3);
        var concurrency = options.Int("concurrency", 8);
        var byType = options.Optional("types") is "yes" or "true";
        var body = new byte[1024];
        Array.Fill(body, (byte)'x');

        var backendBuilder = WebApplication.CreateSlimBuilder();
        backendBuilder.Logging.ClearProviders();
        backendBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        await using var backend = backendBuilder.Build();
        backend.MapGet("/{**path}", context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        await backend.StartAsync();
        var backendPort = new Uri(backend.Urls.First()).Port;

        var configDir = Directory.CreateTempSubdirectory("ingress-alloc").FullName;
        await File.WriteAllTextAsync(Path.Combine(configDir, "config.yaml"), Config);
        var targets = new List<(string Name, string Url, Func<ValueTask>? Stop)> { ("direct", $"http://127.0.0.1:{backendPort}/hello", null) };
        try
        {
            foreach (var (name, dir) in builds)
            {
                var (port, stop) = await StartGatewayAsync(dir, configDir, backendPort);
                targets.Add((name, $"http://127.0.0.1:{port}/test/hello", stop));
            }

            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = concurrency });
            client.DefaultRequestHeaders.Host = Host;
            foreach (var target in targets)
            {
                await DriveAsync(client, target.Url, requests, concurrency); // warm-up: JIT, pools, connections
            }

            using var sampler = byType ? new AllocationSampler() : null;
            var typeTotals = targets.ToDictionary(t => t.Name, _ => new Dictionary<string, long>());
            for (var round = 1; round <= rounds; round++)
            {
                double? direct = null;
                var order = targets.Skip(round - 1).Concat(targets.Take(round - 1)).ToList();
                var results = new Dictionary<string, double>();
                foreach (var target in order)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    sampler?.Swap();
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    await DriveAsync(client, target.Url, requests, concurrency);
                    var after = GC.GetTotalAllocatedBytes(precise: true);
                    results[target.Name] = (double)(after - before) / requests;
                    if (sampler is not null)
                    {
                        foreach (var (type, bytes) in sampler.Swap())
                        {
                            typeTotals[target.Name][type] = typeTotals[target.Name].GetValueOrDefault(type) + bytes;
                        }
                    }
                }

                direct = results["direct"];
                foreach (var (name, perRequest) in results)
                {
                    Console.WriteLine(FormattableString.Invariant(
                        $"alloc target={name} round={round} requests={requests} process_bytes_per_request={perRequest:0} gateway_bytes_per_request={(name == "direct" ? 0 : perRequest - direct):0}"));
                }
            }

            if (byType)
            {
                PrintTypes(typeTotals, requests * rounds);
            }
        }
        finally
        {
            foreach (var target in targets)
            {
                if (target.Stop is not null)
                {
                    await target.Stop();
                }
            }

            Directory.Delete(configDir, recursive: true);
        }

        return 0;
    }

    /// <summary>Per type, sampled bytes per request of each gateway build beyond the direct requests (client + backend).</summary>
    private static void PrintTypes(Dictionary<string, Dictionary<string, long>> totals, int requests)
    {
        var direct = totals["direct"];
        foreach (var (name, types) in totals.Where(t => t.Key != "direct"))
        {
            var rows = types.Keys.Union(direct.Keys)
                .Select(type => (Type: type, Bytes: (double)(types.GetValueOrDefault(type) - direct.GetValueOrDefault(type)) / requests))
                .Where(row => row.Bytes >= 8)
                .OrderByDescending(row => row.Bytes)
                .Take(40);
            foreach (var (type, bytes) in rows)
            {
                Console.WriteLine(FormattableString.Invariant($"alloc-type target={name} sampled_bytes_per_request={bytes:0} type={type}"));
            }
        }
    }

    private static async Task DriveAsync(HttpClient client, string url, int requests, int concurrency)
    {
        var left = requests;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
                }

                await response.Content.CopyToAsync(Stream.Null);
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>Loads <c>Ingress.LocalGateway.dll</c> of one build and starts it on a free port, by reflection.</summary>
    private static async Task<(int Port, Func<ValueTask> Stop)> StartGatewayAsync(string dir, string configDir, int backendPort)
    {
        var context = new BuildLoadContext(Path.GetFullPath(dir));
        var assembly = context.LoadFromAssemblyPath(Path.Combine(Path.GetFullPath(dir), "Ingress.LocalGateway.dll"));
        // By simple name: the gateway's folders and namespaces move (issue 13's layers); its type names stay.
        var types = assembly.GetTypes().Where(t => !t.IsNested).ToLookup(t => t.Name);
        Type T(string name) => types[name].SingleOrDefault() ?? throw new InvalidOperationException($"{dir}: no single type named {name}");

        var options = Activator.CreateInstance(T("GatewayOptions"))!;
        void Set(string property, object? value) => options.GetType().GetProperty(property)!.SetValue(options, value);
        Set("ListenOverrides", new Dictionary<int, IPEndPoint> { [80] = new(IPAddress.Loopback, 0) });
        Set("Admin", null);
        Set("AccessLog", Enum.Parse(T("AccessLogFormat"), "Off"));
        var parse = T("EndpointParser").GetMethod("Parse")!;
        var parseArgs = new object?[] { $"{Service}:80=http://127.0.0.1:{backendPort}", null };
        var endpoint = parse.Invoke(null, parseArgs)!;
        var endpoints = Array.CreateInstance(endpoint.GetType(), 1);
        endpoints.SetValue(endpoint, 0);
        Set("Endpoints", endpoints);

        var source = Activator.CreateInstance(T("FileConfigSource"), new List<string> { configDir }, "default", null)!;
        var hostType = T("LocalGatewayHost");
        var host = Activator.CreateInstance(hostType, options, source, NullLoggerFactory.Instance, null)!;
        var start = (Task)hostType.GetMethod("StartAsync")!.Invoke(host, [CancellationToken.None])!;
        await start;
        var result = start.GetType().GetProperty("Result")!.GetValue(start)!;
        if (!(bool)result.GetType().GetProperty("Started")!.GetValue(result)!)
        {
            throw new InvalidOperationException($"the gateway from {dir} did not start");
        }

        var addresses = (IReadOnlyDictionary<int, IPEndPoint>)hostType.GetProperty("ListenerAddresses")!.GetValue(host)!;
        return (addresses[80].Port, () => (ValueTask)hostType.GetMethod("DisposeAsync")!.Invoke(host, null)!);
    }

    /// <summary>Resolves a build's own assemblies from its folder; the .NET and ASP.NET Core framework stays shared.</summary>
    // The bench references OpenTelemetry as the gateway does, so the process already runs the System.Diagnostics.
    // DiagnosticSource the gateway needs (newer than the framework's) and every build shares it with System.Net.Http.
    private sealed class BuildLoadContext(string dir) : AssemblyLoadContext("gateway " + dir)
    {
        private static readonly HashSet<string> Framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator).Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(dir, assemblyName.Name + ".dll");
            return !Framework.Contains(assemblyName.Name ?? "") && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }

    // The user's VirtualService on a plain HTTP Gateway port: what is measured is the gateway's own work, not TLS.
    private const string Config = $"""
        apiVersion: networking.istio.io/v1beta1
        kind: Gateway
        metadata: {"{"}name: httpsserver{"}"}
        spec:
          selector: {"{"}istio: ingressgateway{"}"}
          servers:
          - port: {"{"}number: 80, name: http, protocol: HTTP{"}"}
            hosts: [{Host}]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {"{"}name: httpsserver{"}"}
        spec:
          gateways: [httpsserver]
          hosts: [{Host}]
          http:
          - match: [{"{"}uri: {"{"}exact: /test/hello{"}"}{"}"}]
            rewrite: {"{"}uri: /hello{"}"}
            route: [{"{"}destination: {"{"}host: {Service}, port: {"{"}number: 80{"}"}{"}"}{"}"}]
        """;
}

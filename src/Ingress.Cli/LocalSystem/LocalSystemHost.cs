using System.Diagnostics;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Hosting.Sidecar;
using Ingress.LocalGateway.Runtime.Security.Mtls;

namespace Ingress.Cli.LocalSystem;

/// <summary>
/// Starts the local system the way <c>ingress up</c> does (the end-to-end tests use it too): the local CA and the
/// gateway's Secret, the <c>local</c> overlay rendered, the trace viewer, the service instances and the local gateway,
/// then waits until every part is ready.
/// </summary>
public static class LocalSystemHost
{
    /// <summary>Starts everything and returns once all parts are ready; on failure everything started is stopped again.</summary>
    /// <param name="options">What to start and where.</param>
    /// <param name="report">Receives one line per step, for the user.</param>
    /// <param name="echo">Receives the gateway's output lines (its access log), or null.</param>
    /// <param name="cancellationToken">Cancels the start (Ctrl-C while starting).</param>
    public static async Task<RunningLocalSystem> StartAsync(
        LocalSystemOptions options, Action<string> report, Action<string, string>? echo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        var time = TimeProvider.System;
        var clock = Stopwatch.StartNew();
        var deadline = time.GetUtcNow() + options.ReadyTimeout;

        string? dashboard = null;
        if (options.Dashboard && (dashboard = DashboardExecutable.Find(out var missing)) is null)
        {
            report($"trace viewer: not started ({missing})");
        }

        var ports = AllocatePorts(options, dashboard is not null);

        var certificates = LocalCertificateAuthority.Ensure(options.StateDirectory, time);
        report(certificates.CaCreated
            ? $"created a local CA: {StateDirectory.Display(certificates.CaCertificatePath)}"
            : $"local CA: {StateDirectory.Display(certificates.CaCertificatePath)}");
        if (certificates.GatewayCertificateIssued)
        {
            report($"issued the gateway certificate for {LocalCertificateAuthority.GatewayHost}");
        }

        var configDirectory = Path.Combine(options.StateDirectory, "config");
        Directory.CreateDirectory(configDirectory);
        var secretPath = Path.Combine(configDirectory, GatewaySecret.Name + ".yaml");
        GatewaySecret.Write(secretPath, certificates.GatewayCertificatePath, certificates.GatewayKeyPath);

        var overlay = LocalOverlay.Render(options.RepositoryRoot, LocalOverlay.FindKubectl(), options.Edge);
        var overlayPath = Path.Combine(configDirectory, "overlay-local.yaml");
        await File.WriteAllTextAsync(overlayPath, overlay.Yaml, cancellationToken).ConfigureAwait(false);
        report($"manifests: {overlay.Source}");
        var workloads = LocalSidecars.Resolve(LocalSidecars.Load(overlayPath), LocalTopology.Services, options.Edge);

        var service = ServiceBinary.Locate(options.RepositoryRoot, report);
        var logs = Path.Combine(options.StateDirectory, "logs");
        var otlp = dashboard is null ? null : $"http://127.0.0.1:{ports.OtlpGrpcPort}";

        var parts = new List<(ChildProcess Part, Uri Ready)>();
        IReadOnlyList<SidecarHost> sidecars = [];
        try
        {
            sidecars = await LocalSidecars.StartAsync(overlayPath, options.StateDirectory, workloads, ports, cancellationToken)
                .ConfigureAwait(false);
            report($"sidecars: one per service, identities from the mesh CA {StateDirectory.Display(LocalSidecars.MeshCaDirectory(options.StateDirectory))} " +
                   $"(mTLS {string.Join(", ", sidecars.Select(s => s.State!.PeerAuthentication.Mode.ToString().ToUpperInvariant()).Distinct())})");

            if (dashboard is not null)
            {
                var viewer = ChildProcess.Start(DashboardSpec(dashboard, ports, logs));
                parts.Add((viewer, new Uri($"http://127.0.0.1:{ports.DashboardPort}/api/telemetry/resources")));
            }

            foreach (var instance in LocalTopology.Services)
            {
                var part = ChildProcess.Start(ServiceSpec(instance, service, ports, otlp, logs));
                parts.Add((part, new Uri($"http://127.0.0.1:{ports.Services[instance.Name]}/readyz")));
            }

            var gateway = ChildProcess.Start(GatewaySpec(options.Edge, overlayPath, secretPath, ports, otlp, logs,
                LocalSidecars.MeshCaDirectory(options.StateDirectory)), echo);
            parts.Add((gateway, new Uri($"http://127.0.0.1:{ports.AdminPort}/ready")));
            report($"starting {string.Join(", ", parts.Select(p => p.Part.Name))} (logs: {StateDirectory.Display(logs)}) ...");

            using var http = new HttpClient();
            await Task.WhenAll(parts.Select(p => Readiness.WaitAsync(http, p.Part, p.Ready, deadline, time, cancellationToken)))
                .ConfigureAwait(false);

            return new RunningLocalSystem(
                ports,
                certificates,
                options.StateDirectory,
                overlay.Source,
                parts.Select(p => p.Part).ToList(),
                clock.Elapsed,
                options.StopTimeout,
                sidecars);
        }
        catch
        {
            await RunningLocalSystem.StopInOrderAsync(parts.Select(p => p.Part).ToList(), options.StopTimeout, sidecars).ConfigureAwait(false);
            throw;
        }
    }

    private static LocalSystemPorts AllocatePorts(LocalSystemOptions options, bool dashboard)
    {
        // User-facing ports fail loudly when taken; internal ones quietly move to a free port.
        if (options.HttpsPort != 0)
        {
            Ports.EnsureAvailable(options.HttpsPort, "the gateway's HTTPS port", "--https-port");
        }

        if (options.HttpPort != 0)
        {
            Ports.EnsureAvailable(options.HttpPort, "the gateway's HTTP port", "--http-port");
        }

        if (dashboard && options.DashboardPort != 0)
        {
            Ports.EnsureAvailable(options.DashboardPort, "the trace viewer", "--dashboard-port");
        }

        var free = new Queue<int>(Ports.Free((LocalTopology.Services.Count * 3) + 6));
        int Pick(int wanted, bool fallBack) =>
            wanted == 0 || (fallBack && !IsAvailable(wanted)) ? free.Dequeue() : wanted;

        return new LocalSystemPorts
        {
            HttpsPort = Pick(options.HttpsPort, false),
            HttpPort = Pick(options.HttpPort, false),
            AdminPort = Pick(options.AdminPort, true),
            DashboardPort = dashboard ? Pick(options.DashboardPort, false) : null,
            OtlpGrpcPort = dashboard ? Pick(options.OtlpGrpcPort, true) : null,
            OtlpHttpPort = dashboard ? Pick(options.OtlpHttpPort, true) : null,
            Services = LocalTopology.Services.ToDictionary(s => s.Name, _ => free.Dequeue(), StringComparer.Ordinal),
            Sidecars = LocalTopology.Services.ToDictionary(s => s.Name, _ => free.Dequeue(), StringComparer.Ordinal),
            Outbound = LocalTopology.Services.Where(s => s.Downstream is not null)
                .ToDictionary(s => s.Name, _ => free.Dequeue(), StringComparer.Ordinal),
        };
    }

    private static bool IsAvailable(int port)
    {
        try
        {
            Ports.EnsureAvailable(port, string.Empty, string.Empty);
            return true;
        }
        catch (LocalSystemException)
        {
            return false;
        }
    }

    private static ChildProcessSpec DashboardSpec(string executable, LocalSystemPorts ports, string logs) => new()
    {
        Name = "dashboard",
        FileName = executable,
        WorkingDirectory = Path.GetDirectoryName(executable)!,
        LogPath = Path.Combine(logs, "dashboard.log"),
        Environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports.DashboardPort}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.OtlpGrpcPort}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{ports.OtlpHttpPort}",
            // Loopback only, on the developer's own machine: no login, so the printed address just opens.
            ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
        },
    };

    private static ChildProcessSpec ServiceSpec(ServiceInstance instance, ServiceCommand service, LocalSystemPorts ports, string? otlp, string logs)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports.Services[instance.Name]}",
            ["VERSION"] = instance.Version,
            ["OTEL_SERVICE_NAME"] = instance.ServiceName,
            // Nothing balances traffic away from a local process: no need to keep serving after SIGTERM.
            ["Shutdown__DrainDelaySeconds"] = "0",
        };
        if (instance.Downstream is not null)
        {
            // The call goes to the instance's own sidecar, which carries it to the next link's sidecar with mutual TLS.
            environment["Downstream__Url"] = $"http://127.0.0.1:{ports.Outbound[instance.Name]}";
        }

        AddTelemetry(environment, otlp);
        return new ChildProcessSpec
        {
            Name = instance.Name,
            FileName = service.FileName,
            Arguments = service.Arguments,
            WorkingDirectory = service.WorkingDirectory,
            LogPath = Path.Combine(logs, instance.Name + ".log"),
            Environment = environment,
        };
    }

    private static ChildProcessSpec GatewaySpec(LocalEdge edge, string overlayPath, string secretPath, LocalSystemPorts ports, string? otlp,
        string logs, string meshCa)
    {
        var (tool, self) = ToolLayout.Self();
        var arguments = new List<string>(self)
        {
            "gateway",
            "-f", overlayPath,
            "-f", secretPath,
            "--listen", $"443=127.0.0.1:{ports.HttpsPort}",
            "--listen", $"80=127.0.0.1:{ports.HttpPort}",
            "--admin", $"127.0.0.1:{ports.AdminPort}",
            "--mesh-ca", meshCa,
        };
        if (LocalOverlay.UnsupportedFieldsLeftOut.Count > 0)
        {
            arguments.Add("--allow-unsupported");
            arguments.Add(string.Join(',', LocalOverlay.UnsupportedFieldsLeftOut));
        }

        foreach (var label in edge.GatewayLabels)
        {
            arguments.Add("--label");
            arguments.Add(label);
        }

        foreach (var instance in LocalTopology.Services)
        {
            // Every endpoint is the instance's sidecar, labelled as Istio's injector labels a pod with a sidecar.
            var hosts = edge.TrackServices && instance.TrackServiceHost is { } track ? new[] { instance.ServiceHost, track } : [instance.ServiceHost];
            foreach (var host in hosts)
            {
                arguments.Add("--endpoint");
                arguments.Add($"{host}:{LocalTopology.ServicePort}=http://127.0.0.1:{ports.Sidecars[instance.Name]};" +
                              $"version={instance.Version};{AutoMutualTls.TlsModeLabel}={AutoMutualTls.TlsModeIstio}");
            }
        }

        var environment = new Dictionary<string, string> { ["OTEL_SERVICE_NAME"] = edge.GatewayServiceName };
        AddTelemetry(environment, otlp);
        return new ChildProcessSpec
        {
            Name = "gateway",
            FileName = tool,
            Arguments = arguments,
            WorkingDirectory = AppContext.BaseDirectory,
            LogPath = Path.Combine(logs, "gateway.log"),
            Environment = environment,
        };
    }

    private static void AddTelemetry(Dictionary<string, string> environment, string? otlp)
    {
        if (otlp is null)
        {
            return;
        }

        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        // Spans reach the viewer within half a second instead of the default five.
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "500";
    }
}

using Ingress.LocalGateway.Hosting.Sidecar;
namespace Ingress.Cli.LocalSystem;

/// <summary>The started local system: its addresses, its certificates, and its parts, which <see cref="StopAsync"/> ends.</summary>
public sealed class RunningLocalSystem : IAsyncDisposable
{
    private readonly IReadOnlyList<ChildProcess> parts;
    private readonly IReadOnlyList<SidecarHost> sidecars;
    private readonly TimeSpan stopTimeout;
    private int stopped;

    internal RunningLocalSystem(
        LocalSystemPorts ports,
        LocalCertificates certificates,
        string stateDirectory,
        string manifestSource,
        IReadOnlyList<ChildProcess> parts,
        TimeSpan startup,
        TimeSpan stopTimeout,
        IReadOnlyList<SidecarHost>? sidecars = null)
    {
        this.sidecars = sidecars ?? [];
        Ports = ports;
        Certificates = certificates;
        StateDirectory = stateDirectory;
        ManifestSource = manifestSource;
        this.parts = parts;
        Startup = startup;
        this.stopTimeout = stopTimeout;
    }

    /// <summary>The ports in use.</summary>
    public LocalSystemPorts Ports { get; }

    /// <summary>The CA (what clients trust) and the gateway's certificate.</summary>
    public LocalCertificates Certificates { get; }

    /// <summary>The state folder (certificates, rendered config, logs).</summary>
    public string StateDirectory { get; }

    /// <summary>Where the manifests came from (kubectl or the committed rendering).</summary>
    public string ManifestSource { get; }

    /// <summary>The local mesh CA's folder (the sidecars' and the gateway's identities come from it).</summary>
    public string MeshCaDirectory => LocalSidecars.MeshCaDirectory(StateDirectory);

    /// <summary>Each service instance's workload proxy, by part name.</summary>
    public IReadOnlyList<SidecarHost> Sidecars => sidecars;

    /// <summary>How long the start took, from the call to every part being ready.</summary>
    public TimeSpan Startup { get; }

    /// <summary>The running parts' names and process ids.</summary>
    public IReadOnlyList<(string Name, int ProcessId)> Parts => parts.Select(p => (p.Name, p.Id)).ToList();

    /// <summary>The trace viewer's page, or null when it is not running.</summary>
    public Uri? DashboardUrl => Ports.DashboardPort is { } port ? new Uri($"http://127.0.0.1:{port}") : null;

    /// <summary>Completes with the first part that exits while the system runs (a crash), or never.</summary>
    public async Task<(string Name, int ExitCode)> WhenAnyPartExitsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (parts.FirstOrDefault(p => p.HasExited) is { } gone)
            {
                return (gone.Name, gone.ExitCode);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops every part: the gateway first (no new requests), then the services, then the trace viewer (it receives their last spans).</summary>
    public Task StopAsync() =>
        Interlocked.Exchange(ref stopped, 1) == 0 ? StopInOrderAsync(parts, stopTimeout, sidecars) : Task.CompletedTask;

    /// <summary>Stops the system.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal static async Task StopInOrderAsync(IReadOnlyList<ChildProcess> parts, TimeSpan timeout,
        IReadOnlyList<SidecarHost>? sidecars = null)
    {
        static int Order(ChildProcess p) => p.Name switch { "gateway" => 0, "dashboard" => 2, _ => 1 };
        for (var wave = 0; wave <= 2; wave++)
        {
            var stops = parts.Where(p => Order(p) == wave).Select(async p =>
            {
                await p.StopAsync(timeout).ConfigureAwait(false);
                await p.DisposeAsync().ConfigureAwait(false);
            }).ToList();
            if (wave == 1)
            {
                // The sidecars stop with their services, after the gateway.
                stops.AddRange((sidecars ?? []).Select(s => s.DisposeAsync().AsTask()));
            }

            await Task.WhenAll(stops).ConfigureAwait(false);
        }
    }
}

using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Ingress.LocalGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Hosting.Sidecar;

namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>
/// A workload proxy started in-process on 127.0.0.1:0 in front of a recording backend, with its own mesh CA folder,
/// and callers of every kind: plain text, another workload's mutual TLS identity, or the gateway.
/// </summary>
public sealed class SidecarHarness : IAsyncDisposable
{
    /// <summary>The workload port the tests' policies name (as the container port in the kit: 8080).</summary>
    public const int WorkloadPort = 8080;

    private readonly List<IDisposable> _owned = [];

    private SidecarHarness(SidecarHost host, StaticConfigSource source, RecordingBackend backend, string meshCa, MeshCa ca)
    {
        Host = host;
        Source = source;
        Backend = backend;
        MeshCaDirectory = meshCa;
        Ca = ca;
    }

    public SidecarHost Host { get; }

    /// <summary>The config the proxy loads; set it and call <see cref="SidecarHost.ReloadAsync"/> to change it.</summary>
    public StaticConfigSource Source { get; }
    public RecordingBackend Backend { get; }
    public string MeshCaDirectory { get; }

    /// <summary>The mesh CA (loaded from the same folder), to issue callers' certificates.</summary>
    public MeshCa Ca { get; }

    /// <summary>The inbound listener's address as a URL with the given scheme.</summary>
    public string Url(string scheme = "http") => $"{scheme}://127.0.0.1:{Host.InboundAddress.Port}";

    /// <summary>
    /// Starts a proxy for workload httpserver/httpserver (labels app=httpserver, version=v1) with the YAML; the mesh CA
    /// folder is a new temporary one unless given.
    /// </summary>
    public static async Task<SidecarHarness> StartAsync(string yaml, string? meshCa = null,
        Func<SidecarOptions, SidecarOptions>? configure = null, TimeProvider? time = null, RecordingBackend? backend = null)
    {
        backend ??= await RecordingBackend.StartAsync("httpserver");
        meshCa ??= Path.Combine(Path.GetTempPath(), "mesh-ca-" + Guid.NewGuid().ToString("N"));
        var options = new SidecarOptions
        {
            Namespace = "httpserver",
            ServiceAccount = "httpserver",
            Labels = new Dictionary<string, string> { ["app"] = "httpserver", ["version"] = "v1" },
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Forward = backend.Url,
            WorkloadPort = WorkloadPort,
            MeshCaDirectory = meshCa,
            DrainTimeout = TimeSpan.FromSeconds(2),
        };
        options = configure?.Invoke(options) ?? options;
        var source = new StaticConfigSource(GatewayHarness.Load(yaml, "httpserver"));
        var host = new SidecarHost(options, source, NullLoggerFactory.Instance, time);
        var started = await host.StartAsync();
        Assert.True(started.Started, string.Join("\n", started.Diagnostics));
        return new SidecarHarness(host, source, backend, meshCa, MeshCa.LoadOrCreate(meshCa));
    }

    /// <summary>A plain-text client of the inbound listener.</summary>
    public HttpClient PlainClient() => Own(new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) });

    /// <summary>A mutual TLS client presenting a certificate for <paramref name="spiffeId"/> from this mesh's CA.</summary>
    public HttpClient MeshClient(string spiffeId)
    {
        var identity = new WorkloadCertificate(Ca, spiffeId, TimeSpan.FromHours(1));
        return Own(new HttpClient(MeshClientTls.CreateHandler(identity, Ca.Root), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>A TLS client with any client certificate (or none) that trusts the mesh's workloads.</summary>
    public HttpClient TlsClient(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is X509Certificate2 server && MeshClientTls.IsMeshPeer(server, Ca.Root, null),
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            },
        };
        return Own(new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) });
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        await Host.DisposeAsync();
        await Backend.DisposeAsync();
        Ca.Dispose();
        try
        {
            Directory.Delete(MeshCaDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}

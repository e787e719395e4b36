using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>The workload certificate is re-issued at half its lifetime; open connections keep working.</summary>
public sealed class CertificateRotationTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (HttpClient Client, ConcurrentQueue<string> ServerSerials) Client(SidecarHarness sidecar)
    {
        var serials = new ConcurrentQueue<string>();
        var options = MeshClientTls.Options(new WorkloadCertificate(sidecar.Ca, "spiffe://cluster.local/ns/frontend/sa/web", TimeSpan.FromHours(1)), sidecar.Ca.Root);
        var verify = options.RemoteCertificateValidationCallback!;
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            serials.Enqueue(((X509Certificate2)certificate!).SerialNumber);
            return verify(sender, certificate, chain, errors);
        };
        var handler = new SocketsHttpHandler { UseProxy = false, SslOptions = options, MaxConnectionsPerServer = 1 };
        return (new HttpClient(handler), serials);
    }

    [Fact]
    public async Task A_rotated_certificate_is_used_for_new_connections_while_open_ones_keep_working()
    {
        // The first certificate is issued 31 minutes in the past, so it is still valid now and due for rotation once
        // the clock reaches now (half of its hour); the rotated one is valid from now.
        var time = new ManualTime { Now = DateTimeOffset.UtcNow.AddMinutes(-31) };
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"),
            configure: o => o with { CertificateLifetime = TimeSpan.FromHours(1) }, time: time);
        var (open, openSerials) = Client(sidecar);
        using var _ = open;

        using var before = await open.GetAsync(sidecar.Url("https") + "/one");
        var first = sidecar.Host.Certificate!.Current;
        time.Now = DateTimeOffset.UtcNow;
        var (fresh, freshSerials) = Client(sidecar);
        using var __ = fresh;
        using var afterOnNewConnection = await fresh.GetAsync(sidecar.Url("https") + "/two");
        using var afterOnOpenConnection = await open.GetAsync(sidecar.Url("https") + "/three");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterOnNewConnection.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterOnOpenConnection.StatusCode);
        Assert.Equal([first.SerialNumber], openSerials);
        var rotated = Assert.Single(freshSerials);
        Assert.NotEqual(first.SerialNumber, rotated);
        Assert.Equal(sidecar.Host.Certificate.Current.SerialNumber, rotated);
        Assert.Equal(MeshYaml.WorkloadIdentity, PeerIdentity.FromCertificate(sidecar.Host.Certificate.Current).Principal);
    }

    [Fact]
    public async Task The_mesh_ca_is_created_once_and_reused_by_every_proxy_of_the_folder()
    {
        // Istio's default written out: a proxy given no resource at all refuses to start (an empty or failed input).
        var permissive = MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE");
        await using var first = await SidecarHarness.StartAsync(permissive);
        var root = await File.ReadAllTextAsync(Path.Combine(first.MeshCaDirectory, "root-cert.pem"));
        await using var second = await SidecarHarness.StartAsync(permissive, first.MeshCaDirectory);

        Assert.Equal(root, await File.ReadAllTextAsync(Path.Combine(first.MeshCaDirectory, "root-cert.pem")));
        Assert.True(WorkloadCertificate.IsIssuedBy(second.Host.Certificate!.Current, first.Ca.Root));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(first.MeshCaDirectory, "root-key.pem")));
        }
    }
}

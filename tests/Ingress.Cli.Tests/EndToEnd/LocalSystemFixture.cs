using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Ingress.Cli.LocalSystem;
using Ingress.Cli.Tests.DeployKit;

namespace Ingress.Cli.Tests.EndToEnd;

/// <summary>
/// The local system started once for the end-to-end tests, exactly as `ingress up` starts it (same orchestration
/// code, same overlay, same processes), but on free ports and with a fresh state folder (a new CA).
/// </summary>
public class LocalSystemFixture : IAsyncLifetime
{
    private readonly string state = Path.Combine(Path.GetTempPath(), "ingress-e2e-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<string> gatewayOutput = [];
    private RunningLocalSystem? system;
    private X509Certificate2? ca;

    public RunningLocalSystem System => system ?? throw new InvalidOperationException("the local system did not start");

    /// <summary>The API the edge is written in (<c>ingress up --api</c>).</summary>
    public virtual LocalEdge Edge => LocalEdge.Istio;

    /// <summary>The gateway's output so far (its access log).</summary>
    public IReadOnlyList<string> GatewayOutput
    {
        get
        {
            lock (gatewayOutput)
            {
                return gatewayOutput.ToList();
            }
        }
    }

    public async Task InitializeAsync()
    {
        system = await LocalSystemHost.StartAsync(
            new LocalSystemOptions
            {
                RepositoryRoot = RepositoryPaths.RepositoryRoot,
                StateDirectory = state,
                HttpsPort = 0,
                HttpPort = 0,
                AdminPort = 0,
                DashboardPort = 0,
                OtlpGrpcPort = 0,
                OtlpHttpPort = 0,
                ReadyTimeout = TimeSpan.FromSeconds(90),
                Edge = Edge,
            },
            _ => { },
            (_, line) =>
            {
                lock (gatewayOutput)
                {
                    gatewayOutput.Add(line);
                }
            },
            CancellationToken.None);
        ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(system.Certificates.CaCertificatePath));
    }

    public async Task DisposeAsync()
    {
        if (system is not null)
        {
            await system.StopAsync();
        }

        ca?.Dispose();
        try
        {
            Directory.Delete(state, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written by a part that is exiting: the temp folder is the OS's to clean.
        }
    }

    /// <summary>
    /// A client that reaches https://httpsserver.kuopenx.io:PORT on 127.0.0.1 (like curl --resolve), sends that name as
    /// SNI, and trusts only the local CA (like curl --cacert): a wrong certificate or name fails the request.
    /// </summary>
    public HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    CustomTrustStore = { ca! },
                },
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Https(string pathAndQuery) =>
        new($"https://{LocalCertificateAuthority.GatewayHost}:{System.Ports.HttpsPort}{pathAndQuery}");

    public Uri Http(string pathAndQuery) =>
        new($"http://{LocalCertificateAuthority.GatewayHost}:{System.Ports.HttpPort}{pathAndQuery}");
}

/// <summary>The local system as `ingress up --api gateway-api` starts it: the edge as a Gateway API Gateway and HTTPRoutes.</summary>
public sealed class GatewayApiLocalSystemFixture : LocalSystemFixture
{
    public override LocalEdge Edge => LocalEdge.GatewayApi;
}

/// <summary>The end-to-end tests of the Gateway API edge share one running system of their own.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayApiLocalSystemGroup : ICollectionFixture<GatewayApiLocalSystemFixture>
{
    public const string Name = "local system (gateway api)";
}

/// <summary>The end-to-end tests share one running system (starting it takes seconds); each test sends its own requests.</summary>
[CollectionDefinition(Name)]
public sealed class LocalSystemGroup : ICollectionFixture<LocalSystemFixture>
{
    public const string Name = "local system";
}

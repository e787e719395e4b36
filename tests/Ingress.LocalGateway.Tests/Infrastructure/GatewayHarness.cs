using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Ingress.Config.Loading;
using Ingress.Config.Model;
using Ingress.LocalGateway.Hosting;
using Ingress.LocalGateway.Hosting.Endpoints;
using Ingress.LocalGateway.Hosting.Reload;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>
/// A local gateway started in-process on free ports (every Gateway port and the admin listener on 127.0.0.1:0), with
/// its access log collected, and clients that connect to a Gateway port with real TLS and a chosen SNI.
/// </summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private GatewayHarness(LocalGatewayHost host, StaticConfigSource source, CollectingWriter accessLog, string defaultNamespace)
    {
        Host = host;
        Source = source;
        AccessLog = accessLog;
        DefaultNamespace = defaultNamespace;
    }

    public LocalGatewayHost Host { get; }
    public StaticConfigSource Source { get; }
    public CollectingWriter AccessLog { get; }
    public string DefaultNamespace { get; }

    /// <summary>Loads YAML the way the gateway command does; fails the test on loader errors.</summary>
    public static ConfigSet Load(string yaml, string defaultNamespace = "default")
    {
        var result = ConfigLoader.LoadText(yaml, "test.yaml", new LoadOptions { DefaultNamespace = defaultNamespace });
        Assert.False(result.HasErrors, string.Join("\n", result.Diagnostics));
        return result.Config;
    }

    /// <summary>Starts a gateway for the YAML with the given endpoints.</summary>
    public static async Task<GatewayHarness> StartAsync(string yaml, IEnumerable<string>? endpoints = null,
        string defaultNamespace = "default", Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        var config = Load(yaml, defaultNamespace);
        var ports = config.Gateways.SelectMany(g => g.Spec.Servers).Select(s => s.Port?.Number ?? 0)
            .Concat(config.OfType<KubernetesGateway>().SelectMany(g => g.Spec.Listeners).Select(l => l.Port ?? 0))
            .Where(p => p > 0).Distinct();
        var options = new GatewayOptions
        {
            ListenOverrides = ports.ToDictionary(p => p, _ => new IPEndPoint(IPAddress.Loopback, 0)),
            Admin = new IPEndPoint(IPAddress.Loopback, 0),
            Endpoints = (endpoints ?? []).Select(e =>
            {
                var parsed = EndpointParser.Parse(e, out var error);
                Assert.Null(error);
                return parsed;
            }).ToList(),
            DefaultNamespace = defaultNamespace,
            DrainTimeout = TimeSpan.FromSeconds(2),
        };
        options = configure?.Invoke(options) ?? options;
        var source = new StaticConfigSource(config);
        var accessLog = new CollectingWriter();
        var host = new LocalGatewayHost(options, source, NullLoggerFactory.Instance, accessLog);
        var started = await host.StartAsync();
        Assert.True(started.Started, string.Join("\n", started.Diagnostics.Concat(started.BindErrors.Select(b => (object)b))));
        return new GatewayHarness(host, source, accessLog, defaultNamespace);
    }

    /// <summary>Where a Gateway port is bound.</summary>
    public IPEndPoint Address(int gatewayPort) => Host.ListenerAddresses[gatewayPort];

    /// <summary>
    /// A client whose every connection goes to the Gateway port, whatever the URL says; the URL's host is the Host
    /// header and (for https) the SNI unless <paramref name="sni"/> overrides it. Server certificates are accepted
    /// unless <paramref name="trust"/> is given, in which case only that certificate is.
    /// </summary>
    public HttpClient Client(int gatewayPort, string? sni = null, X509Certificate2? clientCertificate = null,
        X509Certificate2? trust = null, Version? version = null)
    {
        var address = Address(gatewayPort);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(address, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    trust is null || (certificate is not null && certificate.GetCertHashString() == trust.GetCertHashString()),
            },
        };
        if (sni is not null)
        {
            handler.SslOptions.TargetHost = sni;
        }

        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        if (version is not null)
        {
            client.DefaultRequestVersion = version;
            client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>The access log line of the request for <paramref name="path"/> (waited for up to 10 s; the test fails without one).</summary>
    public async Task<string> AccessLogLineAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var line = AccessLog.Lines.FirstOrDefault(l => l.Contains(" " + path + " ", StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"no access log line for {path}: {string.Join("\n", AccessLog.Lines)}");
        return "";
    }

    /// <summary>Replaces the config and reloads; returns what the reload did.</summary>
    public Task<ReloadResult> ReloadAsync(string yaml)
    {
        Source.Set(Load(yaml, DefaultNamespace));
        return Host.ReloadAsync();
    }

    /// <summary>A client for the admin listener.</summary>
    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{Host.AdminAddress}") };
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Host.DisposeAsync();
    }
}

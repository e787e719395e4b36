using System.Collections.Concurrent;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>What an HTTPS backend saw of one request: the TLS handshake and the request line.</summary>
public sealed record TlsRecordedRequest(string PathAndQuery, string Host, SslProtocols Protocol, string? ClientSubject);

/// <summary>
/// A real HTTPS backend on 127.0.0.1:0 (Kestrel) with a given server certificate; it can require a client
/// certificate, and records the SNI of every handshake and the protocol and client certificate of every request.
/// </summary>
public sealed class TlsBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<TlsRecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string?> _serverNames;

    private TlsBackend(WebApplication app, ConcurrentQueue<string?> serverNames)
    {
        _app = app;
        _serverNames = serverNames;
    }

    public int Port { get; private set; }
    public IReadOnlyList<TlsRecordedRequest> Requests => [.. _requests];

    /// <summary>The SNI of every TLS handshake, in order (null when the client sent none).</summary>
    public IReadOnlyList<string?> ServerNames => [.. _serverNames];

    public static async Task<TlsBackend> StartAsync(X509Certificate2 serverCertificate, bool requireClientCertificate = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var serverNames = new ConcurrentQueue<string?>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificateSelector = (_, name) =>
            {
                serverNames.Enqueue(name);
                return serverCertificate;
            };
            if (requireClientCertificate)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (_, _, _) => true;
            }
        })));
        var app = builder.Build();
        var backend = new TlsBackend(app, serverNames);
        app.Run(async context =>
        {
            var tls = context.Features.Get<ITlsHandshakeFeature>();
            var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            backend._requests.Enqueue(new TlsRecordedRequest(raw, context.Request.Headers.Host.ToString(),
                tls?.Protocol ?? SslProtocols.None, context.Connection.ClientCertificate?.Subject));
            await context.Response.WriteAsync("tls " + raw);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        backend.Port = new Uri(address).Port;
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A test CA that issues server and client certificates, all written as PEM as openssl would.</summary>
public sealed class TestCa
{
    private readonly X509Certificate2 _ca;

    private TestCa(X509Certificate2 ca, string pem)
    {
        _ca = ca;
        CertificatePem = pem;
    }

    /// <summary>The CA certificate as PEM (what <c>caCertificates</c> and <c>ca.crt</c> hold).</summary>
    public string CertificatePem { get; }

    public static TestCa Create(string name = "CN=upstream-test-ca")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var ca = request.CreateSelfSigned(now, now.AddDays(30));
        var usable = X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
        return new TestCa(usable, ca.ExportCertificatePem() + "\n");
    }

    /// <summary>A server certificate for the DNS names.</summary>
    public PemPair Server(string subject, params string[] dnsNames) => Issue(subject, dnsNames, "1.3.6.1.5.5.7.3.1");

    /// <summary>A client certificate.</summary>
    public PemPair Client(string subject) => Issue(subject, [], "1.3.6.1.5.5.7.3.2");

    private PemPair Issue(string subject, string[] dnsNames, string usage)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var issued = request.Create(_ca, now, now.AddDays(10), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        var usable = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new PemPair(issued.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n", usable);
    }
}

using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Runtime.Upstreams;

/// <summary>What a TLS provider knows when a connection to an endpoint of a cluster is opened.</summary>
public sealed record UpstreamTlsContext
{
    /// <summary>The cluster name (<c>outbound|port|subset|host</c>).</summary>
    public required string ClusterName { get; init; }

    /// <summary>The destination service host and port.</summary>
    public required string ServiceHost { get; init; }
    public required int ServicePort { get; init; }

    /// <summary>The cluster's TLS settings from the DestinationRule.</summary>
    public required UpstreamTlsSettings Settings { get; init; }

    /// <summary>The Host of the request that opens the connection, without port (what Envoy's auto_sni sends).</summary>
    public required string RequestHost { get; init; }
}

/// <summary>
/// Makes the client TLS options for a connection to a cluster's endpoint (DestinationRule SIMPLE and MUTUAL; the
/// mesh's ISTIO_MUTUAL has its own client, Security/Mtls/MeshUpstream). Another provider can be given to
/// <see cref="UpstreamClientPool"/>.
/// </summary>
public interface IUpstreamTlsProvider
{
    /// <summary>The options to authenticate as a client with; throw to fail the connection (503 UF).</summary>
    SslClientAuthenticationOptions Create(UpstreamTlsContext context);
}

/// <summary>
/// SIMPLE and MUTUAL origination as Envoy does it for Istio: SNI from <c>sni</c> or else the request's host
/// (auto_sni); the server certificate checked against <c>caCertificates</c> (or the system roots) and against
/// <c>subjectAltNames</c>, or, when neither they nor <c>sni</c> are given, against the request's host (Istio's
/// auto SAN validation); nothing checked with <c>insecureSkipVerify</c>. TLS 1.2 at most, as Envoy's client default,
/// and no ALPN, as Istio gives an HTTP/1.1 cluster.
/// </summary>
public sealed class StandardUpstreamTlsProvider : IUpstreamTlsProvider
{
    /// <inheritdoc />
    public SslClientAuthenticationOptions Create(UpstreamTlsContext context)
    {
        var settings = context.Settings;
        if (settings.Failure is not null)
        {
            throw new AuthenticationException($"upstream TLS for {context.ClusterName} is not usable: {settings.Failure}");
        }

        var options = new SslClientAuthenticationOptions
        {
            TargetHost = settings.Sni ?? context.RequestHost,
            EnabledSslProtocols = SslProtocols.Tls12,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                Accepts(settings, context.RequestHost, certificate as X509Certificate2, errors),
        };
        if (settings.Mode == UpstreamTlsMode.Mutual && settings.ClientCertificate is { } client)
        {
            options.ClientCertificates = [client];
        }

        return options;
    }

    /// <summary>Whether the server certificate passes the cluster's checks.</summary>
    public static bool Accepts(UpstreamTlsSettings settings, string requestHost, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (settings.InsecureSkipVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        if (settings.CaCertificates is { Count: > 0 } roots)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (!chain.Build(certificate))
            {
                return false;
            }
        }
        else if ((errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) != SslPolicyErrors.None)
        {
            return false;
        }

        if (settings.SubjectAltNames.Count > 0)
        {
            return SubjectAltNames(certificate).Any(name => settings.SubjectAltNames.Contains(name, StringComparer.Ordinal));
        }

        return settings.Sni is not null || certificate.MatchesHostname(requestHost);
    }

    /// <summary>The DNS and URI names of a certificate's subjectAltName extension.</summary>
    public static IEnumerable<string> SubjectAltNames(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var dns in san.EnumerateDnsNames())
                {
                    yield return dns;
                }

                // URI SANs (spiffe://…) are not exposed by the typed API; read them from the formatted text.
                foreach (var part in san.Format(multiLine: false).Split(", ", StringSplitOptions.RemoveEmptyEntries))
                {
                    if (part.StartsWith("URI:", StringComparison.Ordinal))
                    {
                        yield return part[4..];
                    }
                }
            }
        }
    }
}

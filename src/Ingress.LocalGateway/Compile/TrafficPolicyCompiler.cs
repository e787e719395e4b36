using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ingress.Config.Credentials;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Upstreams;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Turns a DestinationRule's traffic policy into a cluster's <see cref="UpstreamPolicy"/> as Istio does: the subset's
/// policy overrides the top-level one field by field, and a matching <c>portLevelSettings</c> entry replaces
/// loadBalancer, connectionPool, outlierDetection and tls whole, unset ones falling back to the defaults
/// (<c>pilot/pkg/networking/core/cluster_builder.go: MergeTrafficPolicy</c>); then each part is translated as
/// <c>cluster_traffic_policy.go</c> does, with Envoy's defaults where Istio sets nothing.
/// </summary>
public sealed class TrafficPolicyCompiler
{
    private readonly ConfigSet _config;
    private readonly string _gatewayNamespace;
    private readonly CompileDiagnostics _diagnostics;

    public TrafficPolicyCompiler(ConfigSet config, string gatewayNamespace, CompileDiagnostics diagnostics)
    {
        _config = config;
        _gatewayNamespace = gatewayNamespace;
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// The policy of the cluster for a port (and subset) of the rule's host; the default without a rule.
    /// <paramref name="tls"/> is the merged <c>tls</c> as written (ISTIO_MUTUAL is served by the mesh identity, not here).
    /// </summary>
    public UpstreamPolicy Compile(DestinationRule? rule, string? subset, int port, out ClientTlsSettings? tls)
    {
        tls = null;
        if (rule is null)
        {
            return UpstreamPolicy.Default;
        }

        var top = rule.Spec.TrafficPolicy;
        var path = "spec.trafficPolicy";
        var merged = Merge(null, top, port, ref path);
        var subsetIndex = string.IsNullOrEmpty(subset) ? -1 : IndexOfSubset(rule, subset);
        if (subsetIndex >= 0 && rule.Spec.Subsets[subsetIndex].TrafficPolicy is { } subsetPolicy)
        {
            path = $"spec.subsets[{subsetIndex}].trafficPolicy";
            merged = Merge(merged, subsetPolicy, port, ref path);
        }

        if (merged is null)
        {
            return UpstreamPolicy.Default with { Source = $"{rule.DisplayName}" };
        }

        tls = merged.Tls;

        return new UpstreamPolicy
        {
            LoadBalancer = LoadBalancerOf(merged.LoadBalancer),
            Limits = LimitsOf(merged.ConnectionPool),
            Outlier = OutlierOf(merged.OutlierDetection),
            Tls = TlsOf(merged.Tls, rule, path + ".tls"),
            Source = $"{rule.DisplayName} {path}",
        };
    }

    private static int IndexOfSubset(DestinationRule rule, string subset)
    {
        for (var i = 0; i < rule.Spec.Subsets.Count; i++)
        {
            if (rule.Spec.Subsets[i].Name == subset)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The four parts that count, after Istio's merge.</summary>
    private sealed record Parts(LoadBalancerSettings? LoadBalancer, ConnectionPoolSettings? ConnectionPool,
        OutlierDetection? OutlierDetection, ClientTlsSettings? Tls);

    private static Parts? Merge(Parts? original, TrafficPolicy? policy, int port, ref string path)
    {
        if (policy is null)
        {
            return original;
        }

        var merged = new Parts(
            policy.LoadBalancer ?? original?.LoadBalancer,
            policy.ConnectionPool ?? original?.ConnectionPool,
            policy.OutlierDetection ?? original?.OutlierDetection,
            policy.Tls ?? original?.Tls);
        for (var i = 0; i < policy.PortLevelSettings.Count; i++)
        {
            var level = policy.PortLevelSettings[i];
            if (level.Port?.Number == port)
            {
                // Istio: port-level policies do not inherit; what they leave out falls back to the defaults.
                path += $".portLevelSettings[{i}]";
                return new Parts(level.LoadBalancer, level.ConnectionPool, level.OutlierDetection, level.Tls);
            }
        }

        return merged;
    }

    private static LoadBalancerKind LoadBalancerOf(LoadBalancerSettings? lb) => lb?.Simple?.ToUpperInvariant() switch
    {
        "ROUND_ROBIN" => LoadBalancerKind.RoundRobin,
        "RANDOM" => LoadBalancerKind.Random,
        _ => LoadBalancerKind.LeastRequest,
    };

    private static ConnectionLimits LimitsOf(ConnectionPoolSettings? pool)
    {
        if (pool is null)
        {
            return ConnectionLimits.Unlimited;
        }

        static long Limit(int? value) => value is > 0 ? value.Value : ConnectionLimits.NoLimit;
        var limits = ConnectionLimits.Unlimited;
        if (pool.Tcp is { } tcp)
        {
            limits = limits with
            {
                MaxConnections = Limit(tcp.MaxConnections),
                ConnectTimeout = Duration(tcp.ConnectTimeout) ?? limits.ConnectTimeout,
                MaxConnectionDuration = Duration(tcp.MaxConnectionDuration) is { } life && life > TimeSpan.Zero ? life : null,
            };
        }

        if (pool.Http is { } http)
        {
            limits = limits with
            {
                MaxPendingRequests = Limit(http.Http1MaxPendingRequests),
                MaxRequests = Limit(http.Http2MaxRequests),
                MaxRetries = Limit(http.MaxRetries),
                MaxRequestsPerConnection = http.MaxRequestsPerConnection is > 0 ? http.MaxRequestsPerConnection.Value : 0,
                IdleTimeout = Duration(http.IdleTimeout) is { } idle && idle > TimeSpan.Zero ? idle : limits.IdleTimeout,
            };
        }

        return limits;
    }

    private static OutlierSettings? OutlierOf(OutlierDetection? outlier)
    {
        if (outlier is null)
        {
            return null;
        }

        var settings = new OutlierSettings();
        if (outlier.Consecutive5xxErrors is { } c5xx)
        {
            settings = settings with { Consecutive5xx = c5xx, Enforce5xx = c5xx > 0 };
        }

        if (outlier.ConsecutiveGatewayErrors is { } gateway)
        {
            settings = settings with { ConsecutiveGatewayErrors = gateway, EnforceGatewayErrors = gateway > 0 };
        }

        if (Duration(outlier.Interval) is { } interval && interval > TimeSpan.Zero)
        {
            settings = settings with { Interval = interval };
        }

        if (Duration(outlier.BaseEjectionTime) is { } baseTime && baseTime > TimeSpan.Zero)
        {
            // Istio raises Envoy's 300 s cap to the base time when the base is longer.
            settings = settings with
            {
                BaseEjectionTime = baseTime,
                MaxEjectionTime = baseTime > settings.MaxEjectionTime ? baseTime : settings.MaxEjectionTime,
            };
        }

        if (outlier.MaxEjectionPercent is > 0)
        {
            settings = settings with { MaxEjectionPercent = outlier.MaxEjectionPercent.Value };
        }

        return settings with { MinHealthPercent = Math.Max(0, outlier.MinHealthPercent ?? 0) };
    }

    private UpstreamTlsSettings? TlsOf(ClientTlsSettings? tls, DestinationRule rule, string path)
    {
        var mode = tls?.Mode?.ToUpperInvariant() ?? "DISABLE";
        if (tls is null || mode == "DISABLE")
        {
            return null;
        }

        if (mode == "ISTIO_MUTUAL")
        {
            // The gateway's mesh identity serves it (Security/Mtls/MeshUpstream), with its own client.
            return null;
        }

        var mutual = mode == "MUTUAL";
        var settings = new UpstreamTlsSettings
        {
            Mode = mutual ? UpstreamTlsMode.Mutual : UpstreamTlsMode.Simple,
            Sni = NullIfEmpty(tls.Sni),
            SubjectAltNames = tls.SubjectAltNames,
            InsecureSkipVerify = tls.InsecureSkipVerify == true,
        };
        var (ca, client, failure) = string.IsNullOrEmpty(tls.CredentialName)
            ? FromFiles(tls, mutual)
            : FromSecret(tls.CredentialName, mutual);
        if (failure is not null)
        {
            _diagnostics.Add(GatewayCodes.UpstreamTlsCredential, Severity.Warning, rule, path,
                $"{path}: {failure}; connections to this destination fail with 503 UF until it is fixed");
        }

        return settings with { CaCertificates = ca, ClientCertificate = client, Failure = failure };
    }

    private static (X509Certificate2Collection?, X509Certificate2?, string?) FromFiles(ClientTlsSettings tls, bool mutual)
    {
        X509Certificate2Collection? ca = null;
        X509Certificate2? client = null;
        try
        {
            if (!string.IsNullOrEmpty(tls.CaCertificates))
            {
                ca = ParseCa(File.ReadAllText(tls.CaCertificates), $"caCertificates file {tls.CaCertificates}", out var caFailure);
                if (caFailure is not null)
                {
                    return (null, null, caFailure);
                }
            }

            if (mutual)
            {
                if (string.IsNullOrEmpty(tls.ClientCertificate) || string.IsNullOrEmpty(tls.PrivateKey))
                {
                    return (ca, null, "MUTUAL needs clientCertificate and privateKey (files) or credentialName (a Secret)");
                }

                client = ParseClient(File.ReadAllText(tls.ClientCertificate), File.ReadAllText(tls.PrivateKey),
                    $"files {tls.ClientCertificate} and {tls.PrivateKey}", out var clientFailure);
                if (clientFailure is not null)
                {
                    return (ca, null, clientFailure);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null, $"cannot read a certificate file: {e.Message}");
        }

        return (ca, client, null);
    }

    private (X509Certificate2Collection?, X509Certificate2?, string?) FromSecret(string credential, bool mutual)
    {
        // Istio's SDS serves a proxy the Secrets of its own namespace only.
        if (CredentialName.SecretOf(credential, _gatewayNamespace) is not ({ } ns, var name) || ns != _gatewayNamespace)
        {
            return (null, null, $"credentialName {credential} names no Secret in the gateway's namespace {_gatewayNamespace}");
        }

        var secret = _config.Find<Secret>(_gatewayNamespace, name);
        var caSecret = CredentialName.CaSecret(_config, _gatewayNamespace, name);
        X509Certificate2Collection? ca = null;
        if (caSecret is not null && CredentialName.CaKey(caSecret) is { } caKey && caSecret.GetBytes(caKey) is { } caBytes)
        {
            ca = ParseCa(Encoding.UTF8.GetString(caBytes), $"Secret {_gatewayNamespace}/{caSecret!.Metadata.Name}", out var caFailure);
            if (caFailure is not null)
            {
                return (null, null, caFailure);
            }
        }

        if (!mutual)
        {
            return caSecret is null
                ? (null, null, $"Secret {_gatewayNamespace}/{name} (or {name}-cacert) referenced by credentialName not found in the gateway's namespace")
                : (ca, null, null);
        }

        if (secret is null)
        {
            return (ca, null, $"Secret {_gatewayNamespace}/{name} referenced by credentialName not found in the gateway's namespace");
        }

        var (certKey, keyKey) = CredentialName.CertificateKeys(secret) ?? ("tls.crt", "tls.key");
        if (secret.GetBytes(certKey) is not { } cert || secret.GetBytes(keyKey) is not { } key)
        {
            return (ca, null, $"Secret {_gatewayNamespace}/{name} has no client certificate: it needs cert and key, or tls.crt and tls.key");
        }

        var client = ParseClient(Encoding.UTF8.GetString(cert), Encoding.UTF8.GetString(key), $"Secret {_gatewayNamespace}/{name} ({certKey}/{keyKey})",
            out var failure);
        return (ca, client, failure);
    }

    private static X509Certificate2Collection? ParseCa(string pem, string what, out string? failure)
    {
        failure = null;
        var ca = new X509Certificate2Collection();
        try
        {
            ca.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            failure = $"{what}: the CA certificates are not valid PEM ({e.Message})";
            return null;
        }

        if (ca.Count == 0)
        {
            failure = $"{what}: no PEM certificate found";
            return null;
        }

        return ca;
    }

    private static X509Certificate2? ParseClient(string certPem, string keyPem, string what, out string? failure)
    {
        failure = null;
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(certPem, keyPem);
            // A PKCS#12 round trip gives a key that SslStream can use for client authentication on every platform.
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            failure = $"{what}: the client certificate or key is not valid PEM or they do not match ({e.Message})";
            return null;
        }
    }

    private static TimeSpan? Duration(string? text) =>
        text is not null && Durations.TryParse(text, out TimeSpan value) ? value : null;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>The checks Istio's ValidateDestinationRule makes: host, subsets and traffic policies.</summary>
internal static class DestinationRuleValidator
{
    private static readonly string[] SimpleLb = ["UNSPECIFIED", "LEAST_CONN", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"];
    private static readonly string[] ClientTlsModes = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];
    private static readonly string[] H2UpgradePolicies = ["DEFAULT", "DO_NOT_UPGRADE", "UPGRADE"];

    public static void Validate(DestinationRule rule, Findings f)
    {
        var spec = rule.Spec;
        if (string.IsNullOrEmpty(spec.Host))
        {
            f.Error(DestinationRuleHost, "spec.host",
                "empty domain name not allowed: set host to the service the rule applies to (e.g. reviews.default.svc.cluster.local)");
        }
        else if (Names.WildcardDomainError(spec.Host) is { } error)
        {
            f.Error(DestinationRuleHost, "spec.host", error);
        }

        if (spec.TrafficPolicy is { } policy)
        {
            TrafficPolicy(policy, "spec.trafficPolicy", f);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Subsets.Count; i++)
        {
            var subset = spec.Subsets[i];
            var path = $"spec.subsets[{i}]";
            var name = subset.Name ?? "";
            if (!names.Add(name))
            {
                f.Error(SubsetName, $"{path}.name", $"duplicate subset names: {name}");
            }

            if (name.Length == 0)
            {
                f.Error(SubsetName, $"{path}.name", "subset name cannot be empty");
            }
            else if (!Names.IsDns1123Label(name))
            {
                f.Error(SubsetName, $"{path}.name", $"subset name is invalid: {name}");
            }

            if (subset.Labels.Count == 0)
            {
                f.Warning(SubsetLabels, path,
                    $"subset {name} has no labels, so it selects every endpoint of {spec.Host}; add the labels that tell its pods apart (e.g. version: v2)");
            }

            foreach (var (key, value) in subset.Labels)
            {
                if (key.Length == 0 || key.Contains('*', StringComparison.Ordinal) || value.Contains('*', StringComparison.Ordinal))
                {
                    f.Error(SubsetLabels, $"{path}.labels.{key}", $"invalid tag key or value: \"{key}={value}\"");
                }
            }

            if (subset.TrafficPolicy is { } subsetPolicy)
            {
                TrafficPolicy(subsetPolicy, $"{path}.trafficPolicy", f);
            }
        }

        if (spec.WorkloadSelector is { } selector)
        {
            SecurityValidators.Selector(selector, "spec.workloadSelector", f);
        }

        foreach (var error in Istio.ExportTo.Errors(rule.Metadata.Namespace, spec.ExportTo, spec.WorkloadSelector is not null))
        {
            f.Error(ValidationCodes.ExportTo, "spec.exportTo", error);
        }
    }

    private static void TrafficPolicy(TrafficPolicy policy, string path, Findings f)
    {
        if (policy.OutlierDetection is null && policy.ConnectionPool is null && policy.LoadBalancer is null &&
            policy.Tls is null && policy.PortLevelSettings.Count == 0 && policy.Tunnel is null && policy.ProxyProtocol is null &&
            policy.RetryBudget is null)
        {
            f.Error(ValidationCodes.TrafficPolicy, path, "traffic policy must have at least one field");
            return;
        }

        if (policy.Tunnel is not null && policy.ProxyProtocol is not null)
        {
            f.Error(ValidationCodes.TrafficPolicy, path, "tunnel and proxyProtocol must not be set together");
        }

        Settings(policy.LoadBalancer, policy.ConnectionPool, policy.OutlierDetection, policy.Tls, path, f);
        for (var i = 0; i < policy.PortLevelSettings.Count; i++)
        {
            var port = policy.PortLevelSettings[i];
            var at = $"{path}.portLevelSettings[{i}]";
            if (port.Port is null)
            {
                f.Error(ValidationCodes.TrafficPolicy, at, "portTrafficPolicy must have valid port");
            }

            if (port.OutlierDetection is null && port.ConnectionPool is null && port.LoadBalancer is null && port.Tls is null)
            {
                f.Error(ValidationCodes.TrafficPolicy, at, "port traffic policy must have at least one field");
            }
            else
            {
                Settings(port.LoadBalancer, port.ConnectionPool, port.OutlierDetection, port.Tls, at, f);
            }
        }
    }

    private static void Settings(LoadBalancerSettings? lb, ConnectionPoolSettings? pool, OutlierDetection? outlier,
        ClientTlsSettings? tls, string path, Findings f)
    {
        if (lb is not null)
        {
            LoadBalancer(lb, $"{path}.loadBalancer", f);
        }

        if (pool is not null)
        {
            ConnectionPool(pool, $"{path}.connectionPool", f);
        }

        if (outlier is not null)
        {
            Outlier(outlier, $"{path}.outlierDetection", f);
        }

        if (tls is not null)
        {
            ClientTls(tls, $"{path}.tls", f);
        }
    }

    private static void LoadBalancer(LoadBalancerSettings lb, string path, Findings f)
    {
        if (lb.Simple is { } simple && !SimpleLb.Contains(simple, StringComparer.Ordinal))
        {
            f.Error(ValidationCodes.LoadBalancer, $"{path}.simple",
                $"unknown load balancer \"{simple}\"; use one of {string.Join(", ", SimpleLb)}");
        }

        if (lb.Simple is not null && lb.ConsistentHash is not null)
        {
            f.Error(ValidationCodes.LoadBalancer, path, "only one of simple or consistentHash may be set");
        }

        if (lb.ConsistentHash?.Value is IReadOnlyDictionary<string, object?> hash)
        {
            if (hash.TryGetValue("httpCookie", out var cookie) &&
                (cookie is not IReadOnlyDictionary<string, object?> cookieFields || cookieFields.GetValueOrDefault("name") is not string { Length: > 0 }))
            {
                f.Error(ValidationCodes.LoadBalancer, $"{path}.consistentHash.httpCookie", "name required for HttpCookie");
            }

            if (hash.ContainsKey("minimumRingSize"))
            {
                f.Warning(ValidationCodes.LoadBalancer, $"{path}.consistentHash.minimumRingSize",
                    "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
            }
        }

        if (lb.WarmupDurationSecs is { } warmup && Istio.Durations.ValidationError(warmup) is { } error)
        {
            f.Error(ValidationCodes.Duration, $"{path}.warmupDurationSecs", error);
        }
    }

    private static void ConnectionPool(ConnectionPoolSettings pool, string path, Findings f)
    {
        if (pool.Http is null && pool.Tcp is null)
        {
            f.Error(ValidationCodes.ConnectionPool, path, "connection pool must have at least one field");
            return;
        }

        if (pool.Http is { } http)
        {
            NonNegative(http.Http1MaxPendingRequests, $"{path}.http.http1MaxPendingRequests", "http1 max pending requests");
            NonNegative(http.Http2MaxRequests, $"{path}.http.http2MaxRequests", "http2 max requests");
            NonNegative(http.MaxRequestsPerConnection, $"{path}.http.maxRequestsPerConnection", "max requests per connection");
            NonNegative(http.MaxRetries, $"{path}.http.maxRetries", "max retries");
            NonNegative(http.MaxConcurrentStreams, $"{path}.http.maxConcurrentStreams", "max concurrent streams");
            Duration(http.IdleTimeout, $"{path}.http.idleTimeout", f);
            if (http.H2UpgradePolicy is { } upgrade && !H2UpgradePolicies.Contains(upgrade, StringComparer.Ordinal))
            {
                f.Error(ValidationCodes.ConnectionPool, $"{path}.http.h2UpgradePolicy",
                    $"unknown h2UpgradePolicy \"{upgrade}\"; use one of {string.Join(", ", H2UpgradePolicies)}");
            }

            if (http.H2UpgradePolicy == "UPGRADE" && http.UseClientProtocol == true)
            {
                f.Error(ValidationCodes.ConnectionPool, $"{path}.http.useClientProtocol",
                    "use client protocol must not be true when H2UpgradePolicy is UPGRADE");
            }
        }

        if (pool.Tcp is { } tcp)
        {
            NonNegative(tcp.MaxConnections, $"{path}.tcp.maxConnections", "max connections");
            Duration(tcp.ConnectTimeout, $"{path}.tcp.connectTimeout", f);
            Duration(tcp.MaxConnectionDuration, $"{path}.tcp.maxConnectionDuration", f);
            Duration(tcp.IdleTimeout, $"{path}.tcp.idleTimeout", f);
        }

        void NonNegative(int? value, string at, string what)
        {
            if (value < 0)
            {
                f.Error(ValidationCodes.ConnectionPool, at, $"{what} must be non-negative");
            }
        }
    }

    private static void Outlier(OutlierDetection outlier, string path, Findings f)
    {
        Duration(outlier.BaseEjectionTime, $"{path}.baseEjectionTime", f);
        Duration(outlier.Interval, $"{path}.interval", f);
        if (outlier.ConsecutiveErrors is not (null or 0))
        {
            f.Warning(ValidationCodes.OutlierDetection, $"{path}.consecutiveErrors",
                "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead");
        }

        if (outlier.SplitExternalLocalOriginErrors != true && outlier.ConsecutiveLocalOriginFailures > 0)
        {
            f.Error(ValidationCodes.OutlierDetection, $"{path}.consecutiveLocalOriginFailures",
                "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false");
        }

        foreach (var (value, field) in new[] { (outlier.MaxEjectionPercent, "maxEjectionPercent"), (outlier.MinHealthPercent, "minHealthPercent") })
        {
            if (value is < 0 or > 100)
            {
                f.Error(ValidationCodes.OutlierDetection, $"{path}.{field}", $"percentage {value} is not in range 0..100");
            }
        }
    }

    private static void ClientTls(ClientTlsSettings tls, string path, Findings f)
    {
        var mode = tls.Mode ?? "DISABLE";
        if (!ClientTlsModes.Contains(mode, StringComparer.Ordinal))
        {
            f.Error(ValidationCodes.ClientTls, $"{path}.mode", $"unknown TLS mode \"{mode}\"; use one of {string.Join(", ", ClientTlsModes)}");
            return;
        }

        if (tls.InsecureSkipVerify == true)
        {
            if (mode == "SIMPLE" && (tls.CaCertificates is not null || tls.CredentialName is not null || tls.SubjectAltNames.Count > 0))
            {
                f.Error(ValidationCodes.ClientTls, $"{path}.insecureSkipVerify",
                    "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
            }

            if (mode == "MUTUAL" && (tls.CaCertificates is not null || tls.SubjectAltNames.Count > 0))
            {
                f.Error(ValidationCodes.ClientTls, $"{path}.insecureSkipVerify",
                    "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
            }
        }

        if (mode is "SIMPLE" or "MUTUAL" && tls.CredentialName is not null)
        {
            if (tls.ClientCertificate is not null || tls.CaCertificates is not null || tls.PrivateKey is not null || tls.CaCrl is not null)
            {
                f.Error(ValidationCodes.ClientTls, $"{path}.credentialName",
                    "cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
            }

            return;
        }

        if (mode == "MUTUAL")
        {
            if (tls.ClientCertificate is null)
            {
                f.Error(ValidationCodes.ClientTls, $"{path}.clientCertificate", "client certificate required for mutual tls");
            }

            if (tls.PrivateKey is null)
            {
                f.Error(ValidationCodes.ClientTls, $"{path}.privateKey", "private key required for mutual tls");
            }
        }

        if (mode is "DISABLE" or "ISTIO_MUTUAL" && (tls.ClientCertificate is not null || tls.PrivateKey is not null ||
                                                     tls.CaCertificates is not null || tls.CredentialName is not null))
        {
            f.Warning(ValidationCodes.ClientTls, $"{path}.mode", $"{mode} mode does not use the certificate fields set here; they are ignored");
        }
    }

    private static void Duration(string? value, string path, Findings f)
    {
        if (value is not null && Istio.Durations.ValidationError(value) is { } error)
        {
            f.Error(ValidationCodes.Duration, path, error);
        }
    }
}

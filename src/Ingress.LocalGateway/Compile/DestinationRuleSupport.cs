using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Reports the DestinationRule traffic-policy fields the local gateway does not apply (ING0201, left out) and the
/// ones that cannot matter on one machine (ING0240, info), for the top-level, subset and port-level policies.
/// </summary>
public static class DestinationRuleSupport
{
    /// <summary>Reports every rule's unsupported and ineffective fields.</summary>
    public static void Report(ConfigSet config, CompileDiagnostics diagnostics)
    {
        foreach (var rule in config.DestinationRules)
        {
            if (rule.Spec.TrafficPolicy is { } top)
            {
                ReportPolicy(rule, top, "spec.trafficPolicy", diagnostics);
            }

            for (var i = 0; i < rule.Spec.Subsets.Count; i++)
            {
                if (rule.Spec.Subsets[i].TrafficPolicy is { } policy)
                {
                    ReportPolicy(rule, policy, $"spec.subsets[{i}].trafficPolicy", diagnostics);
                }
            }
        }
    }

    private static void ReportPolicy(DestinationRule rule, TrafficPolicy policy, string path, CompileDiagnostics diagnostics)
    {
        ReportParts(rule, path, policy.LoadBalancer, policy.ConnectionPool, policy.OutlierDetection, policy.Tls, diagnostics);
        for (var i = 0; i < policy.PortLevelSettings.Count; i++)
        {
            var level = policy.PortLevelSettings[i];
            ReportParts(rule, $"{path}.portLevelSettings[{i}]", level.LoadBalancer, level.ConnectionPool, level.OutlierDetection, level.Tls,
                diagnostics);
        }

        if (policy.Tunnel is not null)
        {
            diagnostics.Unsupported(rule, path + ".tunnel", "tunnel (HTTP CONNECT tunnelling to the destination)");
        }

        if (policy.ProxyProtocol is not null)
        {
            diagnostics.Unsupported(rule, path + ".proxyProtocol", "proxyProtocol");
        }

        if (policy.RetryBudget is not null)
        {
            diagnostics.Unsupported(rule, path + ".retryBudget", "retryBudget (maxRetries in connectionPool.http is applied)");
        }
    }

    private static void ReportParts(DestinationRule rule, string path, LoadBalancerSettings? lb, ConnectionPoolSettings? pool,
        OutlierDetection? outlier, ClientTlsSettings? tls, CompileDiagnostics diagnostics)
    {
        if (lb is not null)
        {
            var at = path + ".loadBalancer";
            if (string.Equals(lb.Simple, "PASSTHROUGH", StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Unsupported(rule, at + ".simple",
                    "simple PASSTHROUGH (original-destination routing; endpoints are picked by LEAST_REQUEST, Istio's default)");
            }

            if (lb.ConsistentHash is not null)
            {
                diagnostics.Unsupported(rule, at + ".consistentHash",
                    "consistentHash (ring hash and Maglev session affinity; endpoints are picked by LEAST_REQUEST, Istio's default, so requests with the same key can reach different endpoints)");
            }

            if (lb.BackendUtilization is not null)
            {
                diagnostics.Unsupported(rule, at + ".backendUtilization", "backendUtilization (ORCA load reports)");
            }

            if (lb.LocalityLbSetting is not null || lb.ZoneAwareLbSetting is not null)
            {
                diagnostics.Add(GatewayCodes.NoLocalEffect, Severity.Info, rule, at + (lb.LocalityLbSetting is not null ? ".localityLbSetting" : ".zoneAwareLbSetting"),
                    $"{at}: locality load balancing has no effect locally: every local endpoint is in the gateway's own locality");
            }

            if (lb.Warmup is not null || lb.WarmupDurationSecs is not null)
            {
                diagnostics.Add(GatewayCodes.NoLocalEffect, Severity.Info, rule, at + (lb.Warmup is not null ? ".warmup" : ".warmupDurationSecs"),
                    $"{at}: warmup (slow start) is not applied locally: a new endpoint gets its full share of requests at once");
            }
        }

        if (pool is not null)
        {
            var at = path + ".connectionPool";
            if (pool.Tcp?.TcpKeepalive is not null)
            {
                diagnostics.Unsupported(rule, at + ".tcp.tcpKeepalive", "tcp.tcpKeepalive (the operating system's keepalive settings apply)");
            }

            if (pool.Http is { } http)
            {
                if (http.MaxRequestsPerConnection is > 1)
                {
                    diagnostics.Unsupported(rule, at + ".http.maxRequestsPerConnection",
                        $"maxRequestsPerConnection {http.MaxRequestsPerConnection} (only 1, a new upstream connection per request, is applied; with other values connections are reused without a request limit)");
                }

                if (string.Equals(http.H2UpgradePolicy, "UPGRADE", StringComparison.OrdinalIgnoreCase) || http.UseClientProtocol == true)
                {
                    diagnostics.Unsupported(rule, at + ".http." + (http.UseClientProtocol == true ? "useClientProtocol" : "h2UpgradePolicy"),
                        "HTTP/2 toward the destination (requests go upstream as HTTP/1.1)");
                }

                if (http.MaxConcurrentStreams is not null || http.Http2KeepAlive is not null)
                {
                    diagnostics.Unsupported(rule, at + ".http." + (http.MaxConcurrentStreams is not null ? "maxConcurrentStreams" : "http2KeepAlive"),
                        "HTTP/2 connection settings (requests go upstream as HTTP/1.1)");
                }
            }
        }

        if (outlier is not null)
        {
            var at = path + ".outlierDetection";
            if (outlier.SplitExternalLocalOriginErrors == true || outlier.ConsecutiveLocalOriginFailures is not null)
            {
                diagnostics.Unsupported(rule, at + ".splitExternalLocalOriginErrors",
                    "splitExternalLocalOriginErrors and consecutiveLocalOriginFailures (connect failures count as 503s, Envoy's default)");
            }

            if (outlier.ConsecutiveErrors is not null)
            {
                diagnostics.Unsupported(rule, at + ".consecutiveErrors", "the deprecated consecutiveErrors (use consecutive5xxErrors or consecutiveGatewayErrors)");
            }

            if (outlier.OutlierDetectionHttpErrorCodes.Count > 0)
            {
                diagnostics.Unsupported(rule, at + ".outlierDetectionHttpErrorCodes", "outlierDetectionHttpErrorCodes");
            }
        }

        if (tls is not null)
        {
            var at = path + ".tls";
            if (!string.IsNullOrEmpty(tls.CaCrl))
            {
                diagnostics.Unsupported(rule, at + ".caCrl", "caCrl (certificate revocation lists are not checked)");
            }
        }
    }
}

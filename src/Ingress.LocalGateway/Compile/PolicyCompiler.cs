using System.Globalization;
using Ingress.Config.Diagnostics;
using Ingress.Config.Istio;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Snapshot.Upstreams;
using HostNames = Ingress.Config.Istio.HostNames;

namespace Ingress.LocalGateway.Compile;

/// <summary>
/// Compiles a VirtualService rule's <c>timeout</c>, <c>retries</c>, <c>fault</c>, <c>mirror</c>/<c>mirrors</c> and
/// <c>corsPolicy</c> into <see cref="RoutePolicies"/>, as Istio's route translation builds the Envoy route
/// (<c>retry.ConvertPolicy</c>, <c>TranslateFault</c>, <c>MirrorPercent</c>, <c>TranslateCORSPolicy</c>).
/// </summary>
public sealed class PolicyCompiler
{
    // gRPC status names Istio accepts for fault.abort.grpcStatus, mapped to their codes (grpc.SupportedGRPCStatus).
    private static readonly Dictionary<string, int> GrpcCodes = new(StringComparer.Ordinal)
    {
        ["OK"] = 0, ["CANCELLED"] = 1, ["UNKNOWN"] = 2, ["INVALID_ARGUMENT"] = 3, ["DEADLINE_EXCEEDED"] = 4,
        ["NOT_FOUND"] = 5, ["ALREADY_EXISTS"] = 6, ["PERMISSION_DENIED"] = 7, ["RESOURCE_EXHAUSTED"] = 8,
        ["FAILED_PRECONDITION"] = 9, ["ABORTED"] = 10, ["OUT_OF_RANGE"] = 11, ["UNIMPLEMENTED"] = 12,
        ["INTERNAL"] = 13, ["UNAVAILABLE"] = 14, ["DATA_LOSS"] = 15, ["UNAUTHENTICATED"] = 16,
    };

    private readonly ClusterResolver _clusters;
    private readonly CompileDiagnostics _diagnostics;

    public PolicyCompiler(ClusterResolver clusters, CompileDiagnostics diagnostics)
    {
        _clusters = clusters;
        _diagnostics = diagnostics;
    }

    /// <summary>The policies of one rule; findings go to the diagnostics with the rule's field paths.</summary>
    public RoutePolicies Compile(VirtualService vs, HttpRoute rule, string rulePath)
    {
        var diagnostics = _diagnostics;
        return new RoutePolicies
        {
            Timeout = CompileTimeout(vs, rule, rulePath, diagnostics),
            Retry = CompileRetry(vs, rule.Retries, rulePath + ".retries", diagnostics),
            Fault = CompileFault(rule.Fault),
            Mirrors = CompileMirrors(vs, rule, rulePath),
            Cors = CompileCors(rule.CorsPolicy),
        };
    }

    private static TimeSpan? CompileTimeout(VirtualService vs, HttpRoute rule, string rulePath, CompileDiagnostics diagnostics)
    {
        if (string.IsNullOrEmpty(rule.Timeout))
        {
            return null;
        }

        if (Durations.TryParse(rule.Timeout, out TimeSpan value))
        {
            return value == TimeSpan.Zero ? null : value;
        }

        diagnostics.Add(GatewayCodes.InvalidTimeout, Severity.Error, vs, rulePath + ".timeout",
            $"timeout \"{rule.Timeout}\" is not a duration such as 1s or 250ms");
        return null;
    }

    private static RetryPolicy? CompileRetry(VirtualService vs, HttpRetry? retries, string path, CompileDiagnostics diagnostics)
    {
        if (retries is null)
        {
            return RetryPolicy.IstioDefault;
        }

        if (retries.Attempts is null or <= 0)
        {
            // Istio: "Configuration is explicitly disabling the retry policy."
            return null;
        }

        var policy = RetryPolicy.IstioDefault with { NumRetries = retries.Attempts.Value };
        if (!string.IsNullOrWhiteSpace(retries.RetryOn))
        {
            var flags = RetryOn.None;
            var names = new List<string>();
            var codes = new List<int>();
            foreach (var raw in retries.RetryOn.Split(','))
            {
                var part = raw.Trim();
                if (part.Length == 0)
                {
                    continue;
                }

                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599)
                {
                    codes.Add(code);
                    continue;
                }

                names.Add(part);
                var flag = ParseRetryOn(part);
                if (flag == RetryOn.None)
                {
                    diagnostics.Unsupported(vs, path + ".retryOn", $"retryOn condition \"{part}\"");
                }

                flags |= flag;
            }

            if (codes.Count > 0 && !names.Contains("retriable-status-codes"))
            {
                // Istio adds it when only bare status codes name what to retry.
                names.Add("retriable-status-codes");
                flags |= RetryOn.RetriableStatusCodes;
            }

            policy = policy with { RetryOn = flags, RetryOnText = string.Join(',', names), RetriableStatusCodes = codes };
        }

        if (!string.IsNullOrEmpty(retries.PerTryTimeout) && Durations.TryParse(retries.PerTryTimeout, out TimeSpan perTry) && perTry > TimeSpan.Zero)
        {
            policy = policy with { PerTryTimeout = perTry };
        }

        if (retries.RetryIgnorePreviousHosts is { } avoid)
        {
            policy = policy with { AvoidPreviousHosts = avoid };
        }

        if (!string.IsNullOrEmpty(retries.Backoff) && Durations.TryParse(retries.Backoff, out TimeSpan backoff) && backoff > TimeSpan.Zero)
        {
            policy = policy with { BackoffBase = backoff };
        }

        if (retries.RetryRemoteLocalities == true)
        {
            // Locally every endpoint is in one locality, so Envoy's previous_priorities has nothing to choose between.
            diagnostics.Add(GatewayCodes.Unsupported, Severity.Info, vs, path + ".retryRemoteLocalities",
                $"{path}.retryRemoteLocalities has no effect locally: every local endpoint is in the same locality");
        }

        return policy;
    }

    private static RetryOn ParseRetryOn(string name) => name switch
    {
        "5xx" => RetryOn.FiveXx,
        "gateway-error" => RetryOn.GatewayError,
        "reset" => RetryOn.Reset,
        "reset-before-request" => RetryOn.ResetBeforeRequest,
        "connect-failure" => RetryOn.ConnectFailure,
        "retriable-4xx" => RetryOn.Retriable4xx,
        "refused-stream" => RetryOn.RefusedStream,
        "retriable-status-codes" => RetryOn.RetriableStatusCodes,
        "cancelled" => RetryOn.GrpcCancelled,
        "deadline-exceeded" => RetryOn.GrpcDeadlineExceeded,
        "resource-exhausted" => RetryOn.GrpcResourceExhausted,
        "unavailable" => RetryOn.GrpcUnavailable,
        "internal" => RetryOn.GrpcInternal,
        _ => RetryOn.None,
    };

    private static FaultPolicy? CompileFault(HttpFaultInjection? fault)
    {
        if (fault is null)
        {
            return null;
        }

        TimeSpan? delay = null;
        var delayFraction = default(Fraction);
        if (fault.Delay is { FixedDelay: { } fixedDelay } d && Durations.TryParse(fixedDelay, out TimeSpan value))
        {
            delay = value;
            // Istio: percentage when given, else the deprecated integer percent (0 when absent: nothing delayed).
            delayFraction = d.Percentage is { } p ? Fraction.FromPercent(p.Value ?? 0) : Fraction.FromPercent(d.Percent ?? 0);
        }

        int? httpStatus = null, grpcStatus = null;
        var abortFraction = default(Fraction);
        if (fault.Abort is { } abort)
        {
            if (abort.HttpStatus is { } status)
            {
                httpStatus = status;
            }
            else if (abort.GrpcStatus is { } name && GrpcCodes.TryGetValue(name, out var code))
            {
                grpcStatus = code;
            }

            // Envoy's abort percentage defaults to 0: no percentage, no abort.
            abortFraction = abort.Percentage is { } p ? Fraction.FromPercent(p.Value ?? 0) : default;
        }

        if (delay is null && httpStatus is null && grpcStatus is null)
        {
            return null;
        }

        return new FaultPolicy
        {
            Delay = delay,
            DelayFraction = delayFraction,
            AbortHttpStatus = httpStatus,
            AbortGrpcStatus = grpcStatus,
            AbortFraction = abortFraction,
        };
    }

    private List<MirrorPolicy> CompileMirrors(VirtualService vs, HttpRoute rule, string rulePath)
    {
        var mirrors = new List<MirrorPolicy>();
        if (rule.Mirror is { } single)
        {
            var fraction = MirrorFraction(rule);
            if (fraction is { } f && Destination(vs, single, rulePath + ".mirror") is { } destination)
            {
                mirrors.Add(new MirrorPolicy { Destination = destination, Fraction = f });
            }

            return mirrors;
        }

        for (var i = 0; i < rule.Mirrors.Count; i++)
        {
            var policy = rule.Mirrors[i];
            if (policy.Destination is null)
            {
                continue;
            }

            // Istio's MirrorPercentByPolicy: 100% when no percentage, none when it is 0.
            Fraction? fraction = policy.Percentage is { } p ? (p.Value is > 0 ? Fraction.FromPercent(p.Value.Value) : null) : Fraction.All;
            if (fraction is { } f && Destination(vs, policy.Destination, $"{rulePath}.mirrors[{i}].destination") is { } destination)
            {
                mirrors.Add(new MirrorPolicy { Destination = destination, Fraction = f });
            }
        }

        return mirrors;
    }

    // Istio's MirrorPercent: mirrorPercentage, else the deprecated integer mirrorPercent, else 100%; an explicit 0 disables.
    private static Fraction? MirrorFraction(HttpRoute rule)
    {
        if (rule.MirrorPercentage is { } percentage)
        {
            return percentage.Value is > 0 ? Fraction.FromPercent(percentage.Value.Value) : null;
        }

        if ((rule.MirrorPercent ?? rule.MirrorPercentLegacy) is { } percent)
        {
            return percent > 0 ? Fraction.FromPercent(percent) : null;
        }

        return Fraction.All;
    }

    private WeightedDestination? Destination(VirtualService vs, Destination destination, string fieldPath)
    {
        var host = HostNames.ResolveShortName(destination.Host ?? "", vs.Metadata.Namespace);
        var subset = string.IsNullOrEmpty(destination.Subset) ? null : destination.Subset;
        var (cluster, port) = _clusters.Resolve(host, destination.Port?.Number, subset, vs, fieldPath);
        return new WeightedDestination
        {
            ClusterName = Cluster.NameFor(host, port, subset),
            Host = host,
            Port = port,
            Subset = subset,
            Weight = 100,
            Cluster = cluster,
        };
    }

    private static CorsPolicyRules? CompileCors(CorsPolicy? cors)
    {
        if (cors is null)
        {
            return null;
        }

        // Istio: allowOrigins when given, else the deprecated exact allowOrigin list.
        var origins = cors.AllowOrigins.Count > 0
            ? cors.AllowOrigins.Select(o => RouteParts.Matcher(o)).ToList()
            : cors.AllowOrigin.Select(o => StringMatcher.Exact(o)).ToList();
        var maxAge = "";
        if (!string.IsNullOrEmpty(cors.MaxAge) && Durations.TryParse(cors.MaxAge, out TimeSpan age))
        {
            maxAge = ((long)age.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return new CorsPolicyRules
        {
            AllowOrigins = origins,
            AllowMethods = string.Join(',', cors.AllowMethods),
            AllowHeaders = string.Join(',', cors.AllowHeaders),
            ExposeHeaders = string.Join(',', cors.ExposeHeaders),
            MaxAge = maxAge,
            AllowCredentials = cors.AllowCredentials == true,
            ForwardNotMatchingPreflights = !string.Equals(cors.UnmatchedPreflights, "IGNORE", StringComparison.Ordinal),
        };
    }
}

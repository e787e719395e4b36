using Ingress.Config.Diagnostics;
using Ingress.LocalGateway.Compile;
using Ingress.LocalGateway.Hosting.Endpoints;
using Ingress.LocalGateway.Runtime.Forwarding;
using Ingress.LocalGateway.Snapshot.Routing;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Policies;

/// <summary>How retries, fault, mirror and corsPolicy compile: Istio's defaults and translations, and what is reported.</summary>
public sealed class PolicyCompileTests
{
    private static (RouteEntry Route, IReadOnlyList<Diagnostic> Diagnostics) Compile(string http)
    {
        var config = GatewayHarness.Load(PolicyYaml.With(http));
        var endpoints = new[] { "svc.default.svc.cluster.local:80=http://127.0.0.1:1", "mirror.default.svc.cluster.local:80=http://127.0.0.1:2" }
            .Select(e => EndpointParser.Parse(e, out _)!).ToList();
        var snapshot = new GatewayCompiler(new GatewayOptions { Endpoints = endpoints }).Compile(config);
        return (snapshot.Listeners[80].HttpRoutes!.VirtualHosts.Single().Routes[0], snapshot.Diagnostics);
    }

    [Fact]
    public void Omitted_retries_get_istios_default_policy()
    {
        var (route, _) = Compile("  - route: [{destination: {host: svc}}]\n");

        var retry = route.Policies.Retry!;
        Assert.Equal(2, retry.NumRetries);
        Assert.Equal("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes", retry.RetryOnText);
        Assert.Equal([503], retry.RetriableStatusCodes);
        Assert.True(retry.AvoidPreviousHosts);
        Assert.Equal(5, retry.HostSelectionMaxAttempts);
        Assert.Null(retry.PerTryTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(25), retry.BackoffBase);
    }

    [Fact]
    public void Bare_status_codes_in_retryOn_add_retriable_status_codes()
    {
        var (route, _) = Compile("""
              - retries: {attempts: 4, perTryTimeout: 2s, retryOn: "503, reset", retryIgnorePreviousHosts: false, backoff: 100ms}
                route: [{destination: {host: svc}}]
            """);

        var retry = route.Policies.Retry!;
        Assert.Equal(4, retry.NumRetries);
        Assert.Equal("reset,retriable-status-codes", retry.RetryOnText);
        Assert.Equal(RetryOn.Reset | RetryOn.RetriableStatusCodes, retry.RetryOn);
        Assert.Equal([503], retry.RetriableStatusCodes);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.PerTryTimeout);
        Assert.False(retry.AvoidPreviousHosts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), retry.BackoffBase);
    }

    [Fact]
    public void Policies_compile_without_not_supported_findings()
    {
        var (route, diagnostics) = Compile("""
              - retries: {attempts: 3, retryOn: "gateway-error,connect-failure"}
                fault: {delay: {fixedDelay: 1s, percentage: {value: 12.5}}, abort: {httpStatus: 500, percentage: {value: 0.5}}}
                mirror: {host: mirror}
                mirrorPercentage: {value: 30}
                corsPolicy: {allowOrigins: [{exact: "https://a"}], maxAge: 90s, unmatchedPreflights: IGNORE}
                route: [{destination: {host: svc}}]
            """);

        Assert.DoesNotContain(diagnostics, d => d.Code == GatewayCodes.Unsupported);
        var policies = route.Policies;
        Assert.Equal(TimeSpan.FromSeconds(1), policies.Fault!.Delay);
        Assert.Equal(125_000, policies.Fault.DelayFraction.PerMillion);
        Assert.Equal(5_000, policies.Fault.AbortFraction.PerMillion);
        Assert.Equal(300_000, policies.Mirrors.Single().Fraction.PerMillion);
        Assert.Equal("outbound|80||mirror.default.svc.cluster.local", policies.Mirrors.Single().Destination.ClusterName);
        Assert.Equal("90", policies.Cors!.MaxAge);
        Assert.False(policies.Cors.ForwardNotMatchingPreflights);
    }

    [Fact]
    public void RetryRemoteLocalities_is_reported_as_having_no_effect_locally()
    {
        var (_, diagnostics) = Compile("""
              - retries: {attempts: 1, retryRemoteLocalities: true}
                route: [{destination: {host: svc}}]
            """);

        var finding = Assert.Single(diagnostics, d => d.FieldPath != null && d.FieldPath.EndsWith(".retryRemoteLocalities", StringComparison.Ordinal));
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal("spec.http[0].retries.retryRemoteLocalities has no effect locally: every local endpoint is in the same locality", finding.Message);
    }

    [Fact]
    public void Unknown_retryOn_condition_is_reported_as_not_supported()
    {
        var (_, diagnostics) = Compile("""
              - retries: {attempts: 1, retryOn: "5xx,retriable-headers"}
                route: [{destination: {host: svc}}]
            """);

        var finding = Assert.Single(diagnostics, d => d.Code == GatewayCodes.Unsupported);
        Assert.Equal("spec.http[0].retries.retryOn", finding.FieldPath);
        Assert.Contains("retryOn condition \"retriable-headers\" is not supported by the local gateway", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mirror_percent_defaults_to_100_and_explicit_zero_disables()
    {
        Assert.Equal(Fraction.All, Compile("  - {route: [{destination: {host: svc}}], mirror: {host: mirror}}\n").Route.Policies.Mirrors.Single().Fraction);
        Assert.Empty(Compile("  - {route: [{destination: {host: svc}}], mirror: {host: mirror}, mirrorPercentage: {value: 0}}\n").Route.Policies.Mirrors);
        Assert.Equal(400_000, Compile("  - {route: [{destination: {host: svc}}], mirror: {host: mirror}, mirrorPercent: 40}\n").Route.Policies.Mirrors.Single().Fraction.PerMillion);
    }

    [Fact]
    public void Shadow_host_gets_the_suffix_before_the_port()
    {
        Assert.Equal("a.example.com-shadow", RequestMirror.ShadowHost("a.example.com"));
        Assert.Equal("a.example.com-shadow:8080", RequestMirror.ShadowHost("a.example.com:8080"));
        Assert.Equal("[::1]-shadow:80", RequestMirror.ShadowHost("[::1]:80"));
        Assert.Equal("[::1]-shadow", RequestMirror.ShadowHost("[::1]"));
    }
}

using System.Net;
using System.Security.Cryptography;
using Ingress.LocalGateway.Tests.Infrastructure;
using Ingress.LocalGateway.Compile.Security;

namespace Ingress.LocalGateway.Tests.Sidecar;

/// <summary>
/// The gateway speaking Istio mutual TLS to a workload proxy (DestinationRule ISTIO_MUTUAL, or auto mTLS to an endpoint
/// labelled as a sidecar), the identity it presents, and the proxy's authorization and x-forwarded-client-cert.
/// </summary>
public sealed class GatewayToSidecarTests
{
    private const string SidecarLabel = ";security.istio.io/tlsMode=istio";

    private static Task<GatewayHarness> GatewayAsync(SidecarHarness sidecar, string? drTlsMode, string endpointLabels = "", bool meshCa = true) =>
        GatewayHarness.StartAsync(MeshYaml.Gateway(drTlsMode),
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{sidecar.Host.InboundAddress.Port}" + endpointLabels],
            configure: o => meshCa ? o with { MeshCaDirectory = sidecar.MeshCaDirectory } : o);

    private static string Hash(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    [Fact]
    public async Task Strict_accepts_the_gateway_over_istio_mutual_and_the_service_sees_its_identity()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"));
        await using var gateway = await GatewayAsync(sidecar, "ISTIO_MUTUAL");

        using var response = await gateway.Client(80).GetAsync("http://app.example.com/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("httpserver /hello", await response.Content.ReadAsStringAsync());
        Assert.Equal("istio-envoy", response.Headers.Server.ToString());
        var gatewayCertificate = gateway.Host.MeshCertificate!.Current;
        Assert.Equal(
            $"By={MeshYaml.WorkloadIdentity};Hash={Hash(gatewayCertificate)};Subject=\"\";URI={MeshYaml.GatewayIdentity}",
            sidecar.Backend.Last.Header("x-forwarded-client-cert"));
        Assert.Equal("app.example.com", sidecar.Backend.Last.Host);
    }

    [Fact]
    public async Task The_only_the_gateway_policy_lets_the_gateway_in_and_refuses_another_workload_identity()
    {
        await using var sidecar = await SidecarHarness.StartAsync(
            MeshYaml.PeerAuthentication("default", "httpserver", "STRICT") + MeshYaml.OnlyTheGateway);
        await using var gateway = await GatewayAsync(sidecar, "ISTIO_MUTUAL");

        using var viaGateway = await gateway.Client(80).GetAsync("http://app.example.com/hello");
        using var fromAnotherWorkload = await sidecar.MeshClient("spiffe://cluster.local/ns/httpserver/sa/intruder")
            .GetAsync(sidecar.Url("https") + "/hello");

        Assert.Equal(HttpStatusCode.OK, viaGateway.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fromAnotherWorkload.StatusCode);
        Assert.Equal("RBAC: access denied", await fromAnotherWorkload.Content.ReadAsStringAsync());
        Assert.Single(sidecar.Backend.Requests);
    }

    [Fact]
    public async Task The_only_the_gateway_policy_keeps_metrics_from_the_gateway()
    {
        await using var sidecar = await SidecarHarness.StartAsync(
            MeshYaml.PeerAuthentication("default", "httpserver", "STRICT") + MeshYaml.OnlyTheGateway);
        await using var gateway = await GatewayAsync(sidecar, "ISTIO_MUTUAL");

        using var response = await gateway.Client(80).GetAsync("http://app.example.com/metrics");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
        Assert.Empty(sidecar.Backend.Requests);
    }

    [Fact]
    public async Task Under_permissive_a_plain_text_caller_has_no_principal_and_is_refused_by_a_principal_policy()
    {
        await using var sidecar = await SidecarHarness.StartAsync(
            MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE") + MeshYaml.OnlyTheGateway);

        using var response = await sidecar.PlainClient().GetAsync(sidecar.Url() + "/hello");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Source_namespace_comes_from_the_peer_certificate()
    {
        const string policy = """
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: from-frontend, namespace: httpserver}
            spec:
              action: ALLOW
              rules:
              - from:
                - source: {namespaces: [frontend]}

            """;
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT") + policy);

        using var frontend = await sidecar.MeshClient("spiffe://cluster.local/ns/frontend/sa/web").GetAsync(sidecar.Url("https") + "/hello");
        using var other = await sidecar.MeshClient("spiffe://cluster.local/ns/backend/sa/web").GetAsync(sidecar.Url("https") + "/hello");

        Assert.Equal(HttpStatusCode.OK, frontend.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task A_forged_client_cert_header_is_removed_from_plain_text_and_appended_to_over_mutual_tls()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"));
        const string forged = "By=spiffe://cluster.local/ns/x/sa/y;URI=spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
        var caller = sidecar.MeshClient("spiffe://cluster.local/ns/frontend/sa/web");

        using var plain = new HttpRequestMessage(HttpMethod.Get, sidecar.Url() + "/hello");
        plain.Headers.Add("x-forwarded-client-cert", forged);
        (await sidecar.PlainClient().SendAsync(plain)).Dispose();
        var afterPlain = sidecar.Backend.Last.Header("x-forwarded-client-cert");
        using var mtls = new HttpRequestMessage(HttpMethod.Get, sidecar.Url("https") + "/hello");
        mtls.Headers.Add("x-forwarded-client-cert", forged);
        (await caller.SendAsync(mtls)).Dispose();

        Assert.Null(afterPlain);
        Assert.StartsWith(forged + ",By=" + MeshYaml.WorkloadIdentity + ";Hash=", sidecar.Backend.Last.Header("x-forwarded-client-cert"));
        Assert.EndsWith(";Subject=\"\";URI=spiffe://cluster.local/ns/frontend/sa/web", sidecar.Backend.Last.Header("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task Auto_mtls_reaches_a_labelled_sidecar_endpoint_with_mutual_tls_when_no_destination_rule_sets_tls()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"));
        await using var gateway = await GatewayAsync(sidecar, drTlsMode: null, endpointLabels: SidecarLabel);

        using var response = await gateway.Client(80).GetAsync("http://app.example.com/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("URI=" + MeshYaml.GatewayIdentity, sidecar.Backend.Last.Header("x-forwarded-client-cert"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_sidecar_label_and_without_istio_mutual_the_gateway_speaks_plain_text_and_strict_refuses_it()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"));
        await using var gateway = await GatewayAsync(sidecar, drTlsMode: null);

        using var response = await gateway.Client(80).GetAsync("http://app.example.com/hello");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // The proxy closes the plain-text connection unanswered; the gateway reports the reset as Envoy does.
        Assert.StartsWith("upstream connect error or disconnect/reset before headers. reset reason: connection ",
            await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(sidecar.Backend.Requests);
    }

    [Fact]
    public async Task Destination_rule_disable_turns_auto_mtls_off_for_a_labelled_endpoint()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"));
        await using var gateway = await GatewayAsync(sidecar, "DISABLE", SidecarLabel);

        using var response = await gateway.Client(80).GetAsync("http://app.example.com/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(sidecar.Backend.Last.Header("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task Istio_mutual_without_a_mesh_identity_is_reported_and_sent_in_plain_text()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "PERMISSIVE"));
        await using var gateway = await GatewayAsync(sidecar, "ISTIO_MUTUAL", meshCa: false);

        using var response = await gateway.Client(80).GetAsync("http://app.example.com/hello");

        var finding = Assert.Single(gateway.Host.Snapshots.Current.Diagnostics, d => d.Code == SecurityCodes.NoMeshIdentity);
        Assert.Equal(
            "cluster outbound|80||httpserver.httpserver.svc.cluster.local: DestinationRule httpserver/httpserver says tls.mode ISTIO_MUTUAL, " +
            "but the gateway has no mesh identity; requests are sent in plain text. Start it with --mesh-ca <dir> (the folder of the " +
            "local mesh CA the sidecars use) to speak mutual TLS", finding.Message);
        Assert.Equal("spec.trafficPolicy.tls.mode", finding.FieldPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(sidecar.Backend.Last.Header("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task The_gateway_refuses_a_sidecar_whose_certificate_is_from_another_mesh()
    {
        await using var sidecar = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT"));
        var otherMesh = Path.Combine(Path.GetTempPath(), "mesh-ca-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var gateway = await GatewayHarness.StartAsync(MeshYaml.Gateway("ISTIO_MUTUAL"),
                [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{sidecar.Host.InboundAddress.Port}"],
                configure: o => o with { MeshCaDirectory = otherMesh });

            using var response = await gateway.Client(80).GetAsync("http://app.example.com/hello");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Empty(sidecar.Backend.Requests);
        }
        finally
        {
            Directory.Delete(otherMesh, recursive: true);
        }
    }

    [Fact]
    public async Task A_workload_calls_another_through_its_outbound_listener_with_its_own_identity()
    {
        await using var callee = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "httpserver", "STRICT") + """
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: only-frontend, namespace: httpserver}
            spec:
              action: ALLOW
              rules:
              - from:
                - source: {principals: [cluster.local/ns/frontend/sa/web]}

            """);
        // The caller's namespace has Istio's default, written out (a proxy given no resource at all does not start).
        await using var caller = await SidecarHarness.StartAsync(MeshYaml.PeerAuthentication("default", "frontend", "PERMISSIVE"), callee.MeshCaDirectory, o => o with
        {
            Namespace = "frontend",
            ServiceAccount = "web",
            Outbound = [new(new IPEndPoint(IPAddress.Loopback, 0), new Uri($"http://127.0.0.1:{callee.Host.InboundAddress.Port}"))],
        });

        using var response = await caller.PlainClient().GetAsync($"http://127.0.0.1:{caller.Host.OutboundAddresses[0].Port}/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("httpserver /hello", await response.Content.ReadAsStringAsync());
        Assert.EndsWith(";Subject=\"\";URI=spiffe://cluster.local/ns/frontend/sa/web", callee.Backend.Last.Header("x-forwarded-client-cert"));
    }

    [Fact]
    public async Task The_workload_jwt_rules_apply_at_the_sidecar()
    {
        using var issuer = Security.TestIssuer.Rsa();
        using var other = Security.TestIssuer.Rsa();
        var yaml = $$$"""
            ---
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata: {name: jwt, namespace: httpserver}
            spec:
              selector: {matchLabels: {app: httpserver}}
              jwtRules:
              - issuer: "{{{issuer.Issuer}}}"
                jwks: '{{{issuer.Jwks()}}}'

            """;
        await using var sidecar = await SidecarHarness.StartAsync(yaml);
        using var request = new HttpRequestMessage(HttpMethod.Get, sidecar.Url() + "/hello");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", other.Token());

        using var response = await sidecar.PlainClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Jwt verification fails", await response.Content.ReadAsStringAsync());
        Assert.Empty(sidecar.Backend.Requests);
    }
}

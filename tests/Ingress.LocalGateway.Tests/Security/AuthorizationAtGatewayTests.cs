using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Ingress.LocalGateway.Hosting;
using Ingress.LocalGateway.Hosting.Reload;
using Ingress.LocalGateway.Runtime.Security.Mtls;
using Ingress.LocalGateway.Tests.Infrastructure;

namespace Ingress.LocalGateway.Tests.Security;

/// <summary>
/// One gateway (HTTPS with OPTIONAL_MUTUAL against a local mesh CA, a JWT issuer, one trusted proxy) shared by the
/// authorization tests; each test loads its own policies, so none depends on another.
/// </summary>
public sealed class AuthorizationGatewayFixture : IAsyncLifetime
{
    private readonly string _caDirectory = Path.Combine(Path.GetTempPath(), "ingress-authz-" + Guid.NewGuid().ToString("N"));

    public TestIssuer Issuer { get; } = TestIssuer.Rsa();
    public MeshCa Ca { get; private set; } = null!;
    public RecordingBackend Backend { get; private set; } = null!;
    public GatewayHarness Gateway { get; private set; } = null!;
    public PemPair ServerCertificate { get; } = TestCertificates.SelfSigned("CN=app.example.com", dnsNames: ["app.example.com"]);

    public string BaseYaml => SecurityYaml.Gateway(
            "      mode: OPTIONAL_MUTUAL\n      credentialName: gw-cred\n") +
        "---\n" + TestCertificates.KubectlTlsSecretYaml("gw-cred", "istio-system", ServerCertificate) +
        "---\n" + TestCertificates.OpaqueSecretYaml("gw-cred-cacert", "istio-system", new Dictionary<string, string> { ["cacert"] = Ca.Root.ExportCertificatePem() + "\n" }) +
        SecurityYaml.RequestAuthentication(Issuer.Issuer, Issuer.Jwks());

    public async Task InitializeAsync()
    {
        Ca = MeshCa.LoadOrCreate(_caDirectory);
        Backend = await RecordingBackend.StartAsync("httpserver");
        Backend.On("/", 200, "ok");
        Gateway = await GatewayHarness.StartAsync(BaseYaml,
            [$"httpserver.httpserver.svc.cluster.local:80=http://127.0.0.1:{Backend.Port}"], defaultNamespace: "istio-system",
            configure: o => o with { NumTrustedProxies = 1 });
    }

    private readonly Dictionary<string, X509Certificate2> _certificates = [];

    public X509Certificate2 Certificate(string spiffe)
    {
        lock (_certificates)
        {
            if (!_certificates.TryGetValue(spiffe, out var certificate))
            {
                certificate = Ca.Issue(spiffe, TimeSpan.FromHours(1));
                _certificates[spiffe] = certificate;
            }

            return certificate;
        }
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backend.DisposeAsync();
        Issuer.Dispose();
        Ca.Dispose();
        Directory.Delete(_caDirectory, recursive: true);
    }
}

/// <summary>A request for an authorization case.</summary>
public sealed record AuthzRequest
{
    public string Path { get; init; } = "/";
    public string Method { get; init; } = "GET";
    public string Host { get; init; } = "app.example.com";
    public string? Spiffe { get; init; }
    public object? Claims { get; init; }
    public bool Token { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Every source, operation and condition kind, each in a matching and a non-matching form, enforced by the gateway
/// over real TLS sockets as ALLOW (a match lets the request in, anything else gets 403) and as DENY (a match gets
/// 403, anything else goes through).
/// </summary>
public sealed class AuthorizationAtGatewayTests(AuthorizationGatewayFixture fixture) : IClassFixture<AuthorizationGatewayFixture>
{
    private const string Bar = "spiffe://cluster.local/ns/foo/sa/bar";
    private const string Other = "spiffe://cluster.local/ns/other/sa/web";

    private static readonly Dictionary<string, (string Rule, AuthzRequest Request, bool Matches)> Cases = new()
    {
        ["principals match"] = ("- from:\n  - source:\n      principals: [\"cluster.local/ns/foo/sa/bar\"]", new() { Spiffe = Bar }, true),
        ["principals other identity"] = ("- from:\n  - source:\n      principals: [\"cluster.local/ns/foo/sa/bar\"]", new() { Spiffe = Other }, false),
        ["principals wildcard needs a certificate"] = ("- from:\n  - source:\n      principals: [\"*\"]", new(), false),
        ["principals prefix wildcard"] = ("- from:\n  - source:\n      principals: [\"cluster.local/ns/foo/*\"]", new() { Spiffe = Bar }, true),
        ["notPrincipals excludes"] = ("- from:\n  - source:\n      notPrincipals: [\"cluster.local/ns/foo/*\"]", new() { Spiffe = Bar }, false),
        ["notPrincipals other"] = ("- from:\n  - source:\n      notPrincipals: [\"cluster.local/ns/foo/*\"]", new() { Spiffe = Other }, true),
        ["requestPrincipals match"] = ("- from:\n  - source:\n      requestPrincipals: [\"https://issuer.test/alice\"]", new() { Token = true }, true),
        ["requestPrincipals other subject"] = ("- from:\n  - source:\n      requestPrincipals: [\"https://issuer.test/alice\"]", new() { Token = true, Claims = new { sub = "bob" } }, false),
        ["requestPrincipals no token"] = ("- from:\n  - source:\n      requestPrincipals: [\"*\"]", new(), false),
        ["notRequestPrincipals"] = ("- from:\n  - source:\n      notRequestPrincipals: [\"https://issuer.test/*\"]", new() { Token = true }, false),
        ["namespaces match"] = ("- from:\n  - source:\n      namespaces: [\"foo\"]", new() { Spiffe = Bar }, true),
        ["namespaces other"] = ("- from:\n  - source:\n      namespaces: [\"foo\"]", new() { Spiffe = Other }, false),
        ["notNamespaces"] = ("- from:\n  - source:\n      notNamespaces: [\"foo\"]", new() { Spiffe = Other }, true),
        ["serviceAccounts match"] = ("- from:\n  - source:\n      serviceAccounts: [\"foo/bar\"]", new() { Spiffe = Bar }, true),
        ["serviceAccounts other"] = ("- from:\n  - source:\n      serviceAccounts: [\"foo/bar\"]", new() { Spiffe = Other }, false),
        ["ipBlocks match"] = ("- from:\n  - source:\n      ipBlocks: [\"127.0.0.0/8\"]", new(), true),
        ["ipBlocks other"] = ("- from:\n  - source:\n      ipBlocks: [\"10.0.0.0/8\"]", new(), false),
        ["notIpBlocks"] = ("- from:\n  - source:\n      notIpBlocks: [\"127.0.0.1\"]", new(), false),
        ["remoteIpBlocks from x-forwarded-for"] = ("- from:\n  - source:\n      remoteIpBlocks: [\"203.0.113.0/24\"]", new() { Headers = new Dictionary<string, string> { ["x-forwarded-for"] = "203.0.113.7" } }, true),
        ["remoteIpBlocks other client"] = ("- from:\n  - source:\n      remoteIpBlocks: [\"203.0.113.0/24\"]", new() { Headers = new Dictionary<string, string> { ["x-forwarded-for"] = "198.51.100.1" } }, false),
        ["notRemoteIpBlocks"] = ("- from:\n  - source:\n      notRemoteIpBlocks: [\"203.0.113.0/24\"]", new() { Headers = new Dictionary<string, string> { ["x-forwarded-for"] = "203.0.113.7" } }, false),
        ["hosts match ignoring case"] = ("- to:\n  - operation:\n      hosts: [\"APP.example.com\"]", new(), true),
        ["hosts other"] = ("- to:\n  - operation:\n      hosts: [\"other.example.com\"]", new(), false),
        ["hosts suffix wildcard"] = ("- to:\n  - operation:\n      hosts: [\"*.example.com\"]", new(), true),
        ["notHosts"] = ("- to:\n  - operation:\n      notHosts: [\"app.example.com\"]", new(), false),
        ["ports are the listening port"] = ("- to:\n  - operation:\n      ports: [\"8443\"]", new(), true),
        ["ports not the Gateway port"] = ("- to:\n  - operation:\n      ports: [\"443\"]", new(), false),
        ["notPorts"] = ("- to:\n  - operation:\n      notPorts: [\"8443\"]", new(), false),
        ["methods match"] = ("- to:\n  - operation:\n      methods: [\"GET\"]", new(), true),
        ["methods other"] = ("- to:\n  - operation:\n      methods: [\"GET\"]", new() { Method = "POST" }, false),
        ["notMethods"] = ("- to:\n  - operation:\n      notMethods: [\"POST\"]", new() { Method = "POST" }, false),
        ["paths exact"] = ("- to:\n  - operation:\n      paths: [\"/admin\"]", new() { Path = "/admin?x=1" }, true),
        ["paths exact not a prefix"] = ("- to:\n  - operation:\n      paths: [\"/admin\"]", new() { Path = "/admin/users" }, false),
        ["paths prefix"] = ("- to:\n  - operation:\n      paths: [\"/admin/*\"]", new() { Path = "/admin/users" }, true),
        ["paths suffix"] = ("- to:\n  - operation:\n      paths: [\"*/info\"]", new() { Path = "/v1/info" }, true),
        ["paths presence"] = ("- to:\n  - operation:\n      paths: [\"*\"]", new() { Path = "/anything" }, true),
        ["paths normalized"] = ("- to:\n  - operation:\n      paths: [\"/admin/users\"]", new() { Path = "/public/../admin/%75sers" }, true),
        ["paths template"] = ("- to:\n  - operation:\n      paths: [\"/api/{*}/items\"]", new() { Path = "/api/v2/items" }, true),
        ["notPaths"] = ("- to:\n  - operation:\n      notPaths: [\"/public/*\"]", new() { Path = "/public/a" }, false),
        ["when request.headers"] = ("- when:\n  - key: request.headers[x-user]\n    values: [\"ann\"]", new() { Headers = new Dictionary<string, string> { ["x-user"] = "ann" } }, true),
        ["when request.headers other"] = ("- when:\n  - key: request.headers[x-user]\n    values: [\"ann\"]", new() { Headers = new Dictionary<string, string> { ["x-user"] = "bob" } }, false),
        ["when request.headers notValues"] = ("- when:\n  - key: request.headers[x-user]\n    notValues: [\"ann\"]", new() { Headers = new Dictionary<string, string> { ["x-user"] = "ann" } }, false),
        ["when source.ip"] = ("- when:\n  - key: source.ip\n    values: [\"127.0.0.1\"]", new(), true),
        ["when remote.ip"] = ("- when:\n  - key: remote.ip\n    values: [\"203.0.113.7\"]", new() { Headers = new Dictionary<string, string> { ["x-forwarded-for"] = "203.0.113.7" } }, true),
        ["when source.principal"] = ("- when:\n  - key: source.principal\n    values: [\"cluster.local/ns/foo/sa/bar\"]", new() { Spiffe = Bar }, true),
        ["when source.namespace"] = ("- when:\n  - key: source.namespace\n    notValues: [\"foo\"]", new() { Spiffe = Bar }, false),
        ["when request.auth.principal"] = ("- when:\n  - key: request.auth.principal\n    values: [\"https://issuer.test/alice\"]", new() { Token = true }, true),
        ["when request.auth.audiences"] = ("- when:\n  - key: request.auth.audiences\n    values: [\"other\"]", new() { Token = true }, false),
        ["when request.auth.presenter"] = ("- when:\n  - key: request.auth.presenter\n    values: [\"web-app\"]", new() { Token = true, Claims = new { azp = "web-app" } }, true),
        ["when request.auth.claims list"] = ("- when:\n  - key: request.auth.claims[groups]\n    values: [\"admins\"]", new() { Token = true, Claims = new { groups = new[] { "users", "admins" } } }, true),
        ["when request.auth.claims nested"] = ("- when:\n  - key: request.auth.claims[realm][role]\n    values: [\"owner\"]", new() { Token = true, Claims = new { realm = new { role = "reader" } } }, false),
        ["when request.auth.claims scope is space delimited"] = ("- when:\n  - key: request.auth.claims[scope]\n    values: [\"write\"]", new() { Token = true, Claims = new { scope = "read write" } }, true),
        ["when destination.port"] = ("- when:\n  - key: destination.port\n    values: [\"8443\"]", new(), true),
        ["when destination.ip"] = ("- when:\n  - key: destination.ip\n    values: [\"10.0.0.1\"]", new(), false),
        ["when connection.sni"] = ("- when:\n  - key: connection.sni\n    values: [\"*.example.com\"]", new(), true),
        ["empty rule matches everything"] = ("- {}", new() { Path = "/x" }, true),
        ["from and to must both match"] = ("- from:\n  - source:\n      principals: [\"cluster.local/ns/foo/sa/bar\"]\n  to:\n  - operation:\n      methods: [\"POST\"]", new() { Spiffe = Bar }, false),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Allow_and_deny_policies_enforce_each_kind(string name)
    {
        var (rule, request, matches) = Cases[name];

        var allowed = await SendWithPolicyAsync("ALLOW", rule, request);
        var denied = await SendWithPolicyAsync("DENY", rule, request);

        Assert.Equal(matches ? HttpStatusCode.OK : HttpStatusCode.Forbidden, allowed.Status);
        Assert.Equal(matches ? HttpStatusCode.Forbidden : HttpStatusCode.OK, denied.Status);
        if (matches)
        {
            Assert.Equal("RBAC: access denied", denied.Body);
        }
    }

    [Fact]
    public async Task Deny_is_evaluated_before_allow()
    {
        var policies = SecurityYaml.Policy("ALLOW", "- {}", "allow-all") +
                       SecurityYaml.Policy("DENY", "- to:\n  - operation:\n      paths: [\"/admin/*\"]", "deny-admin");

        var admin = await SendAsync(policies, new AuthzRequest { Path = "/admin/x" });
        var other = await SendAsync(policies, new AuthzRequest { Path = "/public" });

        Assert.Equal(HttpStatusCode.Forbidden, admin.Status);
        Assert.Equal(HttpStatusCode.OK, other.Status);
        var line = await fixture.Gateway.AccessLog.WaitForLineAsync("/admin/x");
        Assert.Contains("rbac_access_denied_matched_policy[ns[istio-system]-policy[deny-admin]-rule[0]]", line);
    }

    [Fact]
    public async Task Allow_policy_with_no_rules_allows_nothing()
    {
        var response = await SendAsync(SecurityYaml.Policy("ALLOW", "", "allow-nothing").Replace("  rules:\n", "  rules: []\n", StringComparison.Ordinal), new AuthzRequest());

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("RBAC: access denied", response.Body);
    }

    [Fact]
    public async Task Any_matching_allow_policy_lets_a_request_in()
    {
        var policies = SecurityYaml.Policy("ALLOW", "- to:\n  - operation:\n      paths: [\"/a\"]", "a") +
                       SecurityYaml.Policy("ALLOW", "- to:\n  - operation:\n      paths: [\"/b\"]", "b");

        var a = await SendAsync(policies, new AuthzRequest { Path = "/a" });
        var b = await SendAsync(policies, new AuthzRequest { Path = "/b" });
        var c = await SendAsync(policies, new AuthzRequest { Path = "/c" });

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden], new[] { a.Status, b.Status, c.Status });
    }

    [Fact]
    public async Task Audit_and_dry_run_policies_never_block()
    {
        var policies = SecurityYaml.Policy("AUDIT", "- {}", "audit") +
                       SecurityYaml.Policy("DENY", "- {}", "dry").Replace("  namespace: istio-system\nspec:", "  namespace: istio-system\n  annotations:\n    istio.io/dry-run: \"true\"\nspec:", StringComparison.Ordinal);

        var response = await SendAsync(policies, new AuthzRequest());

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Policies_of_other_workloads_and_namespaces_do_not_apply()
    {
        var policies = SecurityYaml.Policy("DENY", "- {}", "other-workload").Replace("istio: ingressgateway", "app: httpserver", StringComparison.Ordinal) +
                       SecurityYaml.Policy("DENY", "- {}", "other-ns").Replace("namespace: istio-system", "namespace: httpserver", StringComparison.Ordinal)
                           .Replace("  selector:\n    matchLabels:\n      istio: ingressgateway\n", "", StringComparison.Ordinal);

        var response = await SendAsync(policies, new AuthzRequest());

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Mesh_wide_policy_in_the_root_namespace_applies_to_the_gateway()
    {
        var policy = SecurityYaml.Policy("DENY", "- to:\n  - operation:\n      methods: [\"DELETE\"]", "mesh-wide")
            .Replace("  selector:\n    matchLabels:\n      istio: ingressgateway\n", "", StringComparison.Ordinal);

        var response = await SendAsync(policy, new AuthzRequest { Method = "DELETE" });

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }

    [Fact]
    public async Task Custom_action_is_refused_at_load_and_the_running_config_keeps_serving()
    {
        var custom = SecurityYaml.Policy("CUSTOM", "- {}", "ext").Replace("  rules:", "  provider:\n    name: my-authz\n  rules:", StringComparison.Ordinal);
        await fixture.Gateway.ReloadAsync(fixture.BaseYaml);

        var reload = await fixture.Gateway.ReloadAsync(fixture.BaseYaml + custom);
        var response = await SendRawAsync(new AuthzRequest());

        Assert.Equal(ReloadOutcome.Refused, reload.Outcome);
        var finding = Assert.Single(reload.Diagnostics, d => d.Code == "ING0502");
        Assert.Equal("Error [ING0502] (AuthorizationPolicy istio-system/ext test.yaml:" + finding.Location.Line +
                     ") action CUSTOM (external authorizer 'my-authz') is not supported by the local gateway: test the " +
                     "DENY/ALLOW parts locally and the external authorizer in a cluster", finding.ToString());
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Unknown_condition_key_is_refused_with_the_field_path()
    {
        var bad = SecurityYaml.Policy("ALLOW", "- when:\n  - key: request.weird\n    values: [\"x\"]", "bad");

        var reload = await fixture.Gateway.ReloadAsync(fixture.BaseYaml + bad);

        Assert.Equal(ReloadOutcome.Refused, reload.Outcome);
        var finding = Assert.Single(reload.Diagnostics, d => d.Code == "ING0501");
        Assert.Equal("spec.rules[0].when[0].key", finding.FieldPath);
        Assert.StartsWith("unknown condition key 'request.weird': use one of request.headers[...]", finding.Message);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendWithPolicyAsync(string action, string rule, AuthzRequest request) =>
        await SendAsync(SecurityYaml.Policy(action, rule), request);

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string policies, AuthzRequest request)
    {
        var reload = await fixture.Gateway.ReloadAsync(fixture.BaseYaml + policies);
        Assert.True(reload.Outcome == ReloadOutcome.Applied, string.Join("\n", reload.Diagnostics));
        return await SendRawAsync(request);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendRawAsync(AuthzRequest request)
    {
        var certificate = request.Spiffe is null ? null : fixture.Certificate(request.Spiffe);
        var client = fixture.Gateway.Client(443, sni: "app.example.com", clientCertificate: certificate);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), $"https://{request.Host}{request.Path}");
        if (request.Token)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Issuer.Token(request.Claims));
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(message);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

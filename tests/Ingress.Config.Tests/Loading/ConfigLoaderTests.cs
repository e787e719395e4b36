using Ingress.Config.Diagnostics;
using Ingress.Config.Loading;
using Ingress.Config.Model;

namespace Ingress.Config.Tests.Loading;

public class ConfigLoaderTests
{
    private static readonly LoadOptions Options = new();

    private static LoadResult Load(string yaml, string ns = "default") =>
        ConfigLoader.LoadText(yaml.ReplaceLineEndings("\n"), "test.yaml", new LoadOptions { DefaultNamespace = ns });

    [Fact]
    public void Loads_the_users_seed_manifests_without_findings()
    {
        var folder = Path.Combine(RepoPaths.Fixtures, "seed");
        var result = ConfigLoader.LoadPaths([folder], new LoadOptions { DefaultNamespace = "istio-system" });

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            ["Deployment istio-system/httpserver", "Service istio-system/httpserver", "VirtualService istio-system/httpsserver",
             "Gateway istio-system/httpsserver", "Certificate istio-system/httpserver", "Issuer istio-system/letsencrypt-prod"],
            result.Config.Resources.Select(r => r.DisplayName));

        var gateway = Assert.Single(result.Config.Gateways);
        var server = Assert.Single(gateway.Spec.Servers);
        Assert.Equal(443, server.Port!.Number);
        Assert.Equal("HTTPS", server.Port.Protocol);
        Assert.Equal("httpserver-credential", server.Tls!.CredentialName);
        Assert.Equal("ingressgateway", gateway.Spec.Selector["istio"]);

        var vs = Assert.Single(result.Config.VirtualServices);
        Assert.Equal(["httpsserver"], vs.Spec.Gateways);
        Assert.Equal("/test/hello", vs.Spec.Http[0].Match[0].Uri!.Exact);
        Assert.Equal("/metrics", vs.Spec.Http[1].Rewrite!.Uri);
        Assert.Equal(80, vs.Spec.Http[1].Route[0].Destination!.Port!.Number);

        var service = Assert.Single(result.Config.Services);
        Assert.Equal("80", service.Spec.Ports[0].TargetPort);
        var deployment = result.Config.OfType<Deployment>().Single();
        Assert.Equal("true", deployment.Spec.Template!.Metadata.Annotations["prometheus.io/scrape"]);
        Assert.Equal(80, deployment.Spec.Template.Spec.Containers[0].Ports[0].Number);
        var certificate = result.Config.OfType<Certificate>().Single();
        Assert.Equal(["digital signature", "key encipherment"], certificate.Spec.Usages);
        Assert.Equal("istio", result.Config.OfType<Issuer>().Single().Spec.Acme!.Solvers[0].Http01!.Ingress!.Class);
    }

    [Fact]
    public void Records_the_file_and_line_of_a_deep_field()
    {
        var file = Path.Combine(RepoPaths.Fixtures, "seed", "httpserver-virtualservice-gateway.yaml");
        var result = ConfigLoader.LoadPaths([file], Options);

        var vs = Assert.Single(result.Config.VirtualServices);
        Assert.Equal(new SourceLocation(file, 1, 1), vs.Source);
        Assert.Equal(new SourceLocation(file, 28, 13), vs.FieldLocations["spec.http[1].route[0].destination.host"]);
        Assert.Equal(new SourceLocation(file, 22, 9), vs.FieldLocations["spec.http[1].match[0]"]);
        Assert.Equal(new SourceLocation(file, 9, 7), vs.FieldLocations["spec.hosts[0]"]);
        Assert.Equal(new SourceLocation(file, 30, 15), vs.LocationOf("spec.http[1].route[0].destination.port.number"));
        // A path that was not written falls back to its nearest written ancestor.
        Assert.Equal(new SourceLocation(file, 27, 11), vs.LocationOf("spec.http[1].route[0].destination.subset"));
        var gateway = Assert.Single(result.Config.Gateways);
        Assert.Equal(new SourceLocation(file, 32, 1), gateway.Source);
        Assert.Equal(48, gateway.LocationOf("spec.servers[0].tls.credentialName").Line);
    }

    [Fact]
    public void Defaults_the_namespace_but_keeps_a_written_one_and_none_for_cluster_scoped_kinds()
    {
        var result = Load("""
            apiVersion: v1
            kind: Secret
            metadata: {name: a}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: b, namespace: other}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: httpserver}
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: le}
            spec: {selfSigned: {}}
            """, ns: "istio-system");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["Secret istio-system/a", "Secret other/b", "Namespace httpserver", "ClusterIssuer le"],
            result.Config.Resources.Select(r => r.DisplayName));
    }

    [Fact]
    public void Reports_a_yaml_syntax_error_with_file_line_and_column()
    {
        var result = Load("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: a
               namespace: b
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(LoaderCodes.SyntaxError, error.Code);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal(new SourceLocation("test.yaml", 5, 13), error.Location);
        Assert.Equal(
            "test.yaml:5:13: Error [ING0002] YAML syntax error: while scanning a plain scalar value, found invalid " +
            "mapping; a \"key: value\" appears where none is allowed: this line is probably indented differently " +
            "from the keys beside it, or a value containing \": \" needs quotes. Nothing after this point in the file was read",
            error.ToString());
        Assert.True(result.HasUnreadableInput);
    }

    [Fact]
    public void Reports_a_flow_mapping_left_open_across_lines_instead_of_failing()
    {
        // YamlDotNet's scanner throws InvalidOperationException (not a YamlException) on this input: it once escaped the
        // loader, so a gateway reloading such a file failed the reload with an exception instead of a finding.
        var result = Load("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: httpserver
            spec: {}
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(LoaderCodes.SyntaxError, error.Code);
        Assert.Equal("test.yaml", error.Location.File);
        Assert.Contains("an unclosed '{' or '['?", error.Message, StringComparison.Ordinal);
        Assert.True(result.HasUnreadableInput);
    }

    [Fact]
    public void Explains_an_unquoted_wildcard_host()
    {
        var result = Load("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers:
              - hosts:
                - *.example.com
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(new SourceLocation("test.yaml", 7, 7), error.Location);
        Assert.Contains("a value starting with * is read as an alias: quote it (\"*\" or \"*.example.com\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_documents_before_a_syntax_error()
    {
        var result = Load("""
            apiVersion: v1
            kind: Secret
            metadata: {name: a}
            ---
            apiVersion: v1
            kind: [Secret
            """);

        Assert.Equal(["Secret default/a"], result.Config.Resources.Select(r => r.DisplayName));
        Assert.Equal(LoaderCodes.SyntaxError, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Rejects_a_duplicated_uri_key_in_one_match()
    {
        var result = Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: web
            spec:
              hosts: [web.example.com]
              gateways: [gw]
              http:
              - match:
                - uri:
                    exact: /test/hello
                  uri:
                    prefix: /test/metrics
                route:
                - destination: {host: web}
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(LoaderCodes.DuplicateKey, error.Code);
        Assert.Equal("spec.http[0].match[0].uri", error.FieldPath);
        Assert.Equal(
            "Error [ING0003] (VirtualService default/web test.yaml:12) duplicate key \"uri\" in spec.http[0].match[0] " +
            "(lines 10 and 12): YAML keeps only the last value, so the one on line 10 is silently ignored. Keep one, " +
            "or make them separate list items if both were meant",
            error.ToString());
        // The resource is still loaded (with the value YAML keeps) so that other checks can run in the same pass.
        Assert.Equal("/test/metrics", result.Config.VirtualServices.Single().Spec.Http[0].Match[0].Uri!.Prefix);
    }

    [Fact]
    public void Rejects_an_unknown_field_naming_its_path_and_the_known_fields()
    {
        var result = Load("""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata:
              name: gw
            spec:
              servers:
              - port: {number: 443, name: https, protocol: HTTPS}
                hosts: ["*"]
                tsl:
                  mode: SIMPLE
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(LoaderCodes.UnknownField, error.Code);
        Assert.Equal("spec.servers[0].tsl", error.FieldPath);
        Assert.Equal(new SourceLocation("test.yaml", 9, 5), error.Location);
        Assert.Equal(
            "spec.servers[0].tsl: unknown field \"tsl\"; did you mean \"tls\"? " +
            "(known fields here: bind, defaultEndpoint, hosts, name, port, tls)",
            error.Message);
    }

    [Fact]
    public void Tolerates_unknown_fields_in_kubernetes_kinds_and_status()
    {
        var result = Load("""
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              uid: 1234-5678
              resourceVersion: "42"
            spec:
              clusterIP: 10.0.0.1
              ports:
              - port: 80
                targetPort: http
            status:
              loadBalancer: {}
            ---
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec: {}
            status:
              conditions: []
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal("http", result.Config.Services.Single().Spec.Ports[0].TargetPort);
    }

    [Theory]
    [InlineData("number: abc", "spec.servers[0].port.number: expected an integer, got \"abc\"")]
    [InlineData("number: \"443\"", "spec.servers[0].port.number: expected an integer, got \"443\"; remove the quotes")]
    [InlineData("number: [443]", "spec.servers[0].port.number: expected an integer, got a list")]
    [InlineData("name: 443", "spec.servers[0].port.name: expected a string, got 443; quote it (\"443\") if the text is meant, as Kubernetes rejects a bare integer here")]
    public void Rejects_a_value_of_the_wrong_type(string line, string expected)
    {
        var result = Load($$"""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              servers:
              - hosts: ["*"]
                port:
                  {{line}}
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(LoaderCodes.WrongType, error.Code);
        Assert.Equal(expected, error.Message);
        Assert.Equal(8, error.Location.Line);
    }

    [Fact]
    public void Rejects_a_scalar_where_a_list_is_expected()
    {
        var result = Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: web.example.com
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("spec.hosts: expected a list, got \"web.example.com\"; write it as a list item (- value)", error.Message);
        Assert.Equal(new SourceLocation("test.yaml", 5, 10), error.Location);
    }

    [Fact]
    public void Skips_an_unknown_kind_with_an_informational_finding()
    {
        var result = Load("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: TLSRoute
            metadata: {name: passthrough, namespace: infra}
            spec: {hostnames: [db.example.com]}
            """);

        var info = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Info, info.Severity);
        Assert.Equal(
            "Info [ING0006] (TLSRoute infra/passthrough test.yaml:1) skipped: TLSRoute (gateway.networking.k8s.io/v1) is " +
            "not a kind this tool models, so it is not checked",
            info.ToString());
        Assert.False(result.HasErrors);
        Assert.Empty(result.Config.Resources);
    }

    [Fact]
    public void Loads_a_gateway_api_gateway_and_route_with_the_CRD_defaults_filled_in()
    {
        var result = Load("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw, namespace: infra}
            spec:
              gatewayClassName: istio
              listeners:
                - {name: http, port: 80, protocol: HTTP}
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: HTTPRoute
            metadata: {name: web, namespace: infra}
            spec:
              parentRefs: [{name: gw}]
              rules:
                - backendRefs: [{name: web, port: 8080}]
            """);

        Assert.Equal([], result.Diagnostics.Select(d => d.ToString()));
        var gateway = Assert.IsType<KubernetesGateway>(result.Config.Resources[0]);
        var listener = Assert.Single(gateway.Spec.Listeners);
        Assert.Equal("Same", listener.AllowedRoutes?.Namespaces?.From);
        var route = Assert.IsType<KubernetesHttpRoute>(result.Config.Resources[1]);
        Assert.Equal(("gateway.networking.k8s.io", "Gateway"), (route.Spec.ParentRefs[0].Group, route.Spec.ParentRefs[0].Kind));
        var rule = Assert.Single(route.Spec.Rules);
        Assert.Equal(("PathPrefix", "/"), (rule.Matches[0].Path?.Type, rule.Matches[0].Path?.Value));
        Assert.Equal(("", "Service", 1), (rule.BackendRefs[0].Group, rule.BackendRefs[0].Kind, rule.BackendRefs[0].Weight));
    }

    [Fact]
    public void Rejects_a_known_kind_with_an_unserved_version()
    {
        var result = Load("""
            apiVersion: networking.istio.io/v2
            kind: VirtualService
            metadata: {name: web}
            """);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(LoaderCodes.UnservedVersion, error.Code);
        Assert.Equal(
            "apiVersion networking.istio.io/v2 is not served for VirtualService; use one of: networking.istio.io/v1, " +
            "networking.istio.io/v1beta1, networking.istio.io/v1alpha3",
            error.Message);
        Assert.Equal(new SourceLocation("test.yaml", 1, 1), error.Location);
    }

    [Theory]
    [InlineData("kind: Secret\nmetadata: {name: a}", "the document has no apiVersion; every Kubernetes object needs apiVersion, kind and metadata.name")]
    [InlineData("apiVersion: v1\nmetadata: {name: a}", "the document has no kind; every Kubernetes object needs apiVersion, kind and metadata.name")]
    [InlineData("apiVersion: v1\nkind: Secret\nmetadata: {namespace: a}", "the Secret has no metadata.name; every Kubernetes object needs one")]
    [InlineData("- a\n- b", "a document must be a Kubernetes object (apiVersion, kind, metadata), not a list")]
    public void Rejects_a_document_that_is_not_a_named_object(string yaml, string expected)
    {
        var error = Assert.Single(Load(yaml).Diagnostics);
        Assert.Equal(LoaderCodes.NotAnObject, error.Code);
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Expands_the_items_of_a_kubectl_list()
    {
        var result = Load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Secret
              metadata: {name: a}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: b}
              data: {k: v}
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["Secret default/a", "ConfigMap default/b"], result.Config.Resources.Select(r => r.DisplayName));
        Assert.Equal(7, result.Config.Resources[1].Source.Line);
    }

    [Fact]
    public void Keeps_opaque_fields_as_written()
    {
        var result = Load("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: web}
            spec:
              host: web
              trafficPolicy:
                loadBalancer:
                  consistentHash:
                    httpHeaderName: x-user
                    minimumRingSize: 1024
                tunnel: [a, {b: c}]
            """);

        Assert.Empty(result.Diagnostics);
        var policy = result.Config.DestinationRules.Single().Spec.TrafficPolicy!;
        var hash = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(policy.LoadBalancer!.ConsistentHash!.Value);
        Assert.Equal("x-user", hash["httpHeaderName"]);
        Assert.Equal("1024", hash["minimumRingSize"]);
        var tunnel = Assert.IsAssignableFrom<IReadOnlyList<object?>>(policy.Tunnel!.Value);
        Assert.Equal("a", tunnel[0]);
    }

    [Fact]
    public void Reports_a_missing_path_and_reads_standard_input()
    {
        using var stdin = new StringReader("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n");
        var result = ConfigLoader.LoadPaths(["/nonexistent/x.yaml", "-"], Options, stdin);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(
            "/nonexistent/x.yaml: Error [ING0001] no such file or folder; give YAML files, folders, or - for standard input",
            error.ToString());
        Assert.True(result.HasUnreadableInput);
        Assert.Equal(new SourceLocation("<stdin>", 1, 1), Assert.Single(result.Config.Resources).Source);
    }

    [Fact]
    public void Reads_folders_recursively_in_path_order_and_only_yaml_and_json()
    {
        var dir = Directory.CreateTempSubdirectory("loader-test-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "b"));
            File.WriteAllText(Path.Combine(dir.FullName, "b", "one.yml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: one}\n");
            File.WriteAllText(Path.Combine(dir.FullName, "a.json"), "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"json\"}}");
            File.WriteAllText(Path.Combine(dir.FullName, "c.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\n");
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "not: yaml: at: all");

            var result = ConfigLoader.LoadPaths([dir.FullName], Options);

            Assert.Empty(result.Diagnostics);
            Assert.Equal(["json", "one", "c"], result.Config.Resources.Select(r => r.Metadata.Name));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Refuses_a_file_that_is_not_utf8_with_the_line_of_the_bad_byte()
    {
        var dir = Directory.CreateTempSubdirectory("loader-test-");
        try
        {
            // "café" saved as Latin-1: 0xE9 is not UTF-8. Kubernetes' YAML reader refuses the file; a lenient decoder
            // would carry U+FFFD into the header value Envoy then sends.
            var file = Path.Combine(dir.FullName, "vs.yaml");
            var head = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: web}\nspec:\n  http:\n" +
                       "  - headers: {request: {set: {x-name: caf";
            File.WriteAllBytes(file, [.. System.Text.Encoding.ASCII.GetBytes(head), 0xE9, .. "}}}\n"u8]);

            var result = ConfigLoader.LoadPaths([file], Options);

            var error = Assert.Single(result.Diagnostics);
            Assert.Equal(
                $"{file}:6:42: Error [ING0002] the file is not UTF-8: byte 0xE9 on this line is not valid UTF-8, and Kubernetes reads YAML as UTF-8; save the file as UTF-8. Nothing in the file was read",
                error.ToString());
            Assert.Empty(result.Config.Resources);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Follows_anchors_and_aliases()
    {
        var result = Load("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web}
            spec:
              hosts: [web.example.com]
              http:
              - route: &to-web
                - destination: {host: web}
              - route: *to-web
            """);

        Assert.Empty(result.Diagnostics);
        Assert.Equal("web", result.Config.VirtualServices.Single().Spec.Http[1].Route[0].Destination!.Host);
    }
}

namespace Ingress.Cli.Tests.DeployKit;

/// <summary>Every Istio and cert-manager object the kit renders is accepted by the upstream CRD schemas.</summary>
public sealed class SchemaConformanceTests
{
    private static readonly string[] CustomGroups =
    [
        "networking.istio.io", "security.istio.io", "telemetry.istio.io", "cert-manager.io", "gateway.networking.k8s.io",
    ];

    [KubectlAndSharedTheory]
    [MemberData(nameof(OverlayRenderTests.Overlays), MemberType = typeof(OverlayRenderTests))]
    public void Custom_resources_match_their_upstream_crd_schema(string overlay)
    {
        var custom = Manifest.RenderOverlay(overlay).Where(o => CustomGroups.Contains(o.Group)).ToList();

        var unknown = custom.Where(o => !CrdSchemas.Upstream.Knows(o)).Select(o => $"{o.ApiVersion} {o.Id}").ToList();
        Assert.True(unknown.Count == 0, $"no served CRD version for: {string.Join("; ", unknown)}");
        var problems = custom.SelectMany(CrdSchemas.Upstream.Check).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [SharedFact]
    public void Schema_check_rejects_an_unknown_field_naming_its_path()
    {
        var problems = Check("apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: x\nspec:\n  selfSigned: {}\n  colour: blue\n");

        var problem = Assert.Single(problems);
        Assert.StartsWith("ClusterIssuer x: spec.colour: unknown field (the schema has ", problem, StringComparison.Ordinal);
    }

    [SharedFact]
    public void Schema_check_rejects_a_value_outside_the_enum_and_a_missing_required_field()
    {
        var problems = Check(
            "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: x\n  namespace: istio-system\n" +
            "spec:\n  issuerRef:\n    name: ca\n  privateKey:\n    rotationPolicy: Sometimes\n");

        Assert.Equal(
            new[]
            {
                "Certificate istio-system/x: spec.privateKey.rotationPolicy: \"Sometimes\" is not one of Never, Always",
                "Certificate istio-system/x: spec.secretName: required field missing",
            },
            problems);
    }

    [SharedFact]
    public void Schema_check_rejects_a_mapping_where_a_list_is_expected()
    {
        var problems = Check(
            "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: g\n  namespace: istio-system\n" +
            "spec:\n  selector:\n    istio: ingressgateway\n  servers:\n    port: 80\n");

        Assert.Equal(new[] { "Gateway istio-system/g: spec.servers: a mapping where the schema expects array" }, problems);
    }

    private static IReadOnlyList<string> Check(string yaml) => CrdSchemas.Upstream.Check(Manifest.Parse(yaml).Single());
}

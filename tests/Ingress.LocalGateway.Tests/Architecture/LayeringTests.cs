using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using Ingress.Config.Model;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Ingress.LocalGateway.Tests.Architecture;

/// <summary>
/// The gateway is layered by time (YAML model -> Compile -> immutable Snapshot -> per-request Runtime, with Hosting
/// around it), and these rules keep it so by construction: a stage that reads the Istio model, or a compiled type that
/// reaches back into a request, is how two views of one request come back.
/// </summary>
public sealed class LayeringTests
{
    private const string Root = "Ingress.LocalGateway";

    private static readonly ArchUnitNET.Domain.Architecture Gateway = new ArchLoader()
        .LoadAssemblies(typeof(GatewayOptions).Assembly, typeof(ConfigSet).Assembly)
        .Build();

    [Fact]
    public void The_snapshot_depends_on_no_other_layer_and_not_on_the_istio_model() =>
        Types().That().ResideInNamespaceOrBelow(Root + ".Snapshot")
            .Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceOrBelow(Root + ".Compile")
            .AndShould().NotDependOnAnyTypesThat().ResideInNamespaceOrBelow(Root + ".Runtime")
            .AndShould().NotDependOnAnyTypesThat().ResideInNamespaceOrBelow(Root + ".Hosting")
            .AndShould().NotDependOnAnyTypesThat().ResideInNamespaceOrBelow("Ingress.Config.Model")
            .Check(Gateway);

    [Fact]
    public void Compile_produces_the_snapshot_without_knowing_the_runtime_or_the_host() =>
        Types().That().ResideInNamespaceOrBelow(Root + ".Compile")
            .Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceOrBelow(Root + ".Runtime")
            .AndShould().NotDependOnAnyTypesThat().ResideInNamespaceOrBelow(Root + ".Hosting")
            .Check(Gateway);

    [Fact]
    public void The_runtime_reads_only_the_snapshot_never_the_istio_model_or_the_compiler() =>
        Types().That().ResideInNamespaceOrBelow(Root + ".Runtime")
            .Should().NotDependOnAnyTypesThat()
            .ResideInNamespaceOrBelow(Root + ".Compile")
            .AndShould().NotDependOnAnyTypesThat().ResideInNamespaceOrBelow(Root + ".Hosting")
            .AndShould().NotDependOnAnyTypesThat().ResideInNamespaceOrBelow("Ingress.Config.Model")
            .Check(Gateway);

    [Fact]
    public void Each_layer_holds_types() =>
        // The rules above pass vacuously if a layer's namespace is renamed; this says so instead.
        Assert.All(new[] { "Snapshot", "Compile", "Runtime", "Hosting" }, layer =>
            Assert.Contains(Gateway.Types, t => t.Namespace.FullName.StartsWith($"{Root}.{layer}", StringComparison.Ordinal)));
}

using Ingress.Config.Loading;

namespace Ingress.Config.Tests.Loading;

/// <summary>MeshConfig read from the files a platform team keeps it in.</summary>
public sealed class MeshConfigFileTests
{
    [Fact]
    public void Reads_path_normalization_from_an_istio_operator()
    {
        var errors = new List<string>();

        var settings = MeshConfigFile.Parse("""
            apiVersion: install.istio.io/v1alpha1
            kind: IstioOperator
            metadata: {name: mesh, namespace: istio-system}
            spec:
              meshConfig:
                accessLogFile: /dev/stdout
                pathNormalization: {normalization: MERGE_SLASHES}
            """, "operator.yaml", errors);

        Assert.Empty(errors);
        Assert.Equal("MERGE_SLASHES", settings.PathNormalization);
    }

    [Fact]
    public void Reads_path_normalization_from_the_istio_config_map()
    {
        var errors = new List<string>();

        var settings = MeshConfigFile.Parse("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
                accessLogFile: /dev/stdout
                pathNormalization:
                  normalization: DECODE_AND_MERGE_SLASHES
            """, "istio.yaml", errors);

        Assert.Empty(errors);
        Assert.Equal("DECODE_AND_MERGE_SLASHES", settings.PathNormalization);
    }

    [Fact]
    public void Reads_a_bare_mesh_config_and_leaves_an_unset_normalization_unset()
    {
        var errors = new List<string>();

        Assert.Equal("NONE", MeshConfigFile.Parse("pathNormalization: {normalization: NONE}\n", "mesh.yaml", errors).PathNormalization);
        Assert.Null(MeshConfigFile.Parse("accessLogFile: /dev/stdout\n", "mesh.yaml", errors).PathNormalization);
        Assert.Empty(errors);
    }

    [Fact]
    public void Rejects_an_unknown_normalization_with_file_line_and_the_values_allowed()
    {
        var errors = new List<string>();

        var settings = MeshConfigFile.Parse("pathNormalization:\n  normalization: STRICT\n", "mesh.yaml", errors);

        Assert.Null(settings.PathNormalization);
        Assert.Equal(["mesh.yaml:2: pathNormalization.normalization 'STRICT' is not one of DEFAULT, NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES"], errors);
    }

    [Fact]
    public void Says_what_to_give_when_no_document_is_a_mesh_config()
    {
        var errors = new List<string>();

        MeshConfigFile.Parse("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n", "secret.yaml", errors);

        Assert.Equal(["secret.yaml: no MeshConfig found: give an IstioOperator (spec.meshConfig), the istio ConfigMap (data.mesh) " +
                      "or a MeshConfig document (e.g. pathNormalization: {normalization: MERGE_SLASHES})"], errors);
    }
}

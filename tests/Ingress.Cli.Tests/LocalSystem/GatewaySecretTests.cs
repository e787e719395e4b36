using System.Text;
using Ingress.Cli.LocalSystem;

namespace Ingress.Cli.Tests.LocalSystem;

/// <summary>The TLS Secret the Gateway's credentialName names, written as kubectl would print it.</summary>
public sealed class GatewaySecretTests
{
    [Fact]
    public void Secret_has_the_shape_of_kubectl_create_secret_tls()
    {
        var yaml = GatewaySecret.Render("CERT\n", "KEY\n");

        var certificate = Convert.ToBase64String(Encoding.UTF8.GetBytes("CERT\n"));
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("KEY\n"));
        Assert.Equal(
            "apiVersion: v1\n" +
            "data:\n" +
            $"  tls.crt: {certificate}\n" +
            $"  tls.key: {key}\n" +
            "kind: Secret\n" +
            "metadata:\n" +
            "  name: httpserver-credential\n" +
            "  namespace: istio-system\n" +
            "type: kubernetes.io/tls\n",
            yaml);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Secret_file_is_readable_by_the_owner_only()
    {
        using var state = new TempDirectory();
        var files = LocalCertificateAuthority.Ensure(state.Path, TimeProvider.System);
        var path = Path.Combine(state.Path, "config", "httpserver-credential.yaml");

        GatewaySecret.Write(path, files.GatewayCertificatePath, files.GatewayKeyPath);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains(
            $"  tls.key: {Convert.ToBase64String(File.ReadAllBytes(files.GatewayKeyPath))}\n",
            File.ReadAllText(path),
            StringComparison.Ordinal);
    }
}

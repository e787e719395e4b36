using System.Text;

namespace Ingress.Cli.LocalSystem;

/// <summary>
/// Writes the TLS Secret the Gateway's <c>credentialName</c> names, in the shape
/// <c>kubectl create secret tls … --dry-run=client -o yaml</c> prints, so the local gateway reads it like Istio does.
/// </summary>
public static class GatewaySecret
{
    /// <summary>The Secret's name: the Gateway's <c>tls.credentialName</c>.</summary>
    public const string Name = "httpserver-credential";

    /// <summary>The gateway workload's namespace, where Istio looks the Secret up.</summary>
    public const string Namespace = "istio-system";

    /// <summary>Writes the Secret YAML for the certificate and key (mode 0600: it holds the private key).</summary>
    public static void Write(string path, string certificatePath, string keyPath)
    {
        var yaml = Render(File.ReadAllText(certificatePath), File.ReadAllText(keyPath));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The Secret as YAML text.</summary>
    public static string Render(string certificatePem, string keyPem) =>
        $"""
        apiVersion: v1
        data:
          tls.crt: {Base64(certificatePem)}
          tls.key: {Base64(keyPem)}
        kind: Secret
        metadata:
          name: {Name}
          namespace: {Namespace}
        type: kubernetes.io/tls

        """;

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}

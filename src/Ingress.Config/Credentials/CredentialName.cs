using Ingress.Config.Model;

namespace Ingress.Config.Credentials;

/// <summary>
/// Which Secret a <c>credentialName</c> names and which of its entries Istio's SDS serves, for a Gateway server or a
/// DestinationRule's TLS: the one rule <c>analyze</c> and the local gateway share.
/// </summary>
/// <remarks>
/// Istio first writes the name as an SDS resource (<c>pilot/pkg/model/credentials/resource.go: ToResourceName</c>:
/// <c>kubernetes://</c> is prefixed unless the name has that or <c>kubernetes-gateway://</c>; <c>builtin://</c> is the
/// workload's own certificate) and then reads it back (<c>ParseResourceName</c>): <c>kubernetes://name</c> is in the
/// proxy's namespace, <c>kubernetes://ns/name</c> and <c>kubernetes-gateway://ns/name</c> in <c>ns</c>. So a bare
/// <c>name</c> is the proxy's namespace and <c>ns/name</c> names another. The entries are SDS's
/// (<c>pilot/pkg/credentials/kube/secrets.go</c>): <c>cert</c> and <c>key</c> when both are there, else
/// <c>tls.crt</c> and <c>tls.key</c>; the CA from <c>cacert</c>, else <c>ca.crt</c>, of the Secret
/// <c>NAME-cacert</c> when it exists and of the credential's own Secret otherwise (<c>GetCaCert</c>).
/// </remarks>
public static class CredentialName
{
    /// <summary>The suffix of the Secret that holds a credential's CA (Istio's <c>SdsCaSuffix</c>).</summary>
    public const string CaSuffix = "-cacert";

    private const string Kubernetes = "kubernetes://";
    private const string KubernetesGateway = "kubernetes-gateway://";
    private const string Builtin = "builtin://";

    /// <summary>
    /// The namespace and name of the Secret <paramref name="credentialName"/> names for a proxy in
    /// <paramref name="proxyNamespace"/>; null for <c>builtin://</c> (no Secret) or a malformed
    /// <c>kubernetes-gateway://</c> name.
    /// </summary>
    public static (string Namespace, string Name)? SecretOf(string credentialName, string proxyNamespace)
    {
        ArgumentNullException.ThrowIfNull(credentialName);
        if (credentialName.StartsWith(Builtin, StringComparison.Ordinal))
        {
            return null;
        }

        if (credentialName.StartsWith(KubernetesGateway, StringComparison.Ordinal))
        {
            var parts = credentialName[KubernetesGateway.Length..].Split('/');
            return parts.Length > 1 && parts[0].Length > 0 && parts[1].Length > 0 ? (parts[0], parts[1]) : null;
        }

        var resource = credentialName.StartsWith(Kubernetes, StringComparison.Ordinal)
            ? credentialName[Kubernetes.Length..]
            : credentialName;
        var split = resource.Split('/');
        return split.Length > 1 ? (split[0], split[1]) : (proxyNamespace, split[0]);
    }

    /// <summary>The entries holding the certificate chain and its key, or null when the Secret has neither pair.</summary>
    public static (string Certificate, string Key)? CertificateKeys(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.HasKey("cert") && secret.HasKey("key"))
        {
            return ("cert", "key");
        }

        return secret.HasKey("tls.crt") && secret.HasKey("tls.key") ? ("tls.crt", "tls.key") : null;
    }

    /// <summary>The entry holding the CA certificates (<c>cacert</c>, else <c>ca.crt</c>), or null.</summary>
    public static string? CaKey(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.HasKey("cacert") ? "cacert" : secret.HasKey("ca.crt") ? "ca.crt" : null;
    }

    /// <summary>The Secret SDS reads a credential's CA from: <c>NAME-cacert</c> when it exists, else <c>NAME</c>.</summary>
    public static Secret? CaSecret(ConfigSet config, string @namespace, string name)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Find<Secret>(@namespace, name + CaSuffix) ?? config.Find<Secret>(@namespace, name);
    }
}

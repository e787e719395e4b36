using Ingress.Config.Analysis.CertManager;
using Ingress.Config.Credentials;
using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Gateways;

/// <summary>
/// IST0101/IST0161/ING2008: a Gateway's <c>credentialName</c> Secret exists in the gateway workload's namespace and
/// holds a usable certificate (and a CA for mutual TLS). Compare Istio's <c>gateway/secret.go</c>.
/// </summary>
public sealed class GatewaySecretAnalyzer : IAnalyzer
{
    public string Name => "gateway.SecretAnalyzer";

    public string Description => "Checks that a Gateway's credentialName Secret exists where the gateway workload reads it, and holds a valid certificate";

    public IReadOnlyList<string> Codes { get; } =
        [Messages.ReferencedResourceNotFound.Code, Messages.InvalidGatewayCredential.Code, Messages.MutualTlsWithoutCaCertificate.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["Gateway", "Secret", "Deployment", "Pod", "Certificate"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        var index = ConfigIndex.For(context.Config);
        foreach (var gateway in context.Config.Gateways)
        {
            var workload = index.GatewayWorkload(gateway, context);
            for (var i = 0; i < gateway.Spec.Servers.Count; i++)
            {
                var tls = gateway.Spec.Servers[i].Tls;
                if (tls is null)
                {
                    continue;
                }

                var path = $"spec.servers[{i}].tls";
                var credentials = new List<(string Name, string Path)>();
                if (!string.IsNullOrEmpty(tls.CredentialName))
                {
                    credentials.Add((tls.CredentialName, $"{path}.credentialName"));
                }

                for (var j = 0; j < tls.CredentialNames.Count; j++)
                {
                    credentials.Add((tls.CredentialNames[j], $"{path}.credentialNames[{j}]"));
                }

                foreach (var (name, fieldPath) in credentials)
                {
                    foreach (var finding in CheckCredential(context, gateway, workload, name, fieldPath))
                    {
                        yield return finding;
                    }
                }

                var mutual = tls.Mode is "MUTUAL" or "OPTIONAL_MUTUAL";
                if (mutual && credentials.Count > 0)
                {
                    var finding = CheckCa(context, gateway, workload, tls, credentials[0].Name, i);
                    if (finding is not null)
                    {
                        yield return finding;
                    }
                }
            }
        }
    }

    private static IEnumerable<Diagnostic> CheckCredential(
        AnalysisContext context, Gateway gateway, Workload workload, string credentialName, string fieldPath)
    {
        if (CredentialName.SecretOf(credentialName, workload.Namespace) is not var (ns, name))
        {
            yield break; // builtin:// (the workload's own certificate) names no Secret.
        }

        var secret = context.Config.Find<Secret>(ns, name);
        if (secret is null && context.Config.OfType<Certificate>().Any(c =>
                c.Spec.SecretName == name && c.Metadata.Namespace == ns && Http01ChallengeAnalyzer.IssuanceIsVisible(context, c)))
        {
            yield break; // cert-manager writes it, and the configuration shows how the certificate gets issued.
        }

        if (secret is null)
        {
            yield return Messages.ReferencedResourceNotFound.At(
                gateway, fieldPath, MissingSecretAdvice(context, workload, ns, name), "credentialName", Messages.Quote(credentialName));
            yield break;
        }

        var problem = GatewayCredential.Problem(secret, context.Now);
        if (problem is not null)
        {
            yield return Messages.InvalidGatewayCredential.At(
                gateway,
                fieldPath,
                $"Secret {ns}/{name}: {problem}",
                gateway.Metadata.Name,
                workload.Namespace);
        }
    }

    private static Diagnostic? CheckCa(
        AnalysisContext context, Gateway gateway, Workload workload, ServerTlsSettings tls, string credentialName, int server)
    {
        if (CredentialName.SecretOf(credentialName, workload.Namespace) is not var (ns, name))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(tls.CaCertCredentialName))
        {
            if (tls.CaCertCredentialName.StartsWith("configmap://", StringComparison.Ordinal)
                || CredentialName.SecretOf(tls.CaCertCredentialName, workload.Namespace) is not var (caNs, caName))
            {
                return null;
            }

            return context.Config.Find<Secret>(caNs, caName) is null
                ? Messages.ReferencedResourceNotFound.At(
                    gateway,
                    $"spec.servers[{server}].tls.caCertCredentialName",
                    $"Create Secret {caNs}/{caName} with the CA certificate under key ca.crt.",
                    "caCertCredentialName",
                    Messages.Quote(tls.CaCertCredentialName))
                : null;
        }

        var main = context.Config.Find<Secret>(ns, name);
        if (main is null)
        {
            return null; // Already reported as missing.
        }

        if (CredentialName.CaSecret(context.Config, ns, name) is { } caSecret && CredentialName.CaKey(caSecret) is not null)
        {
            return null;
        }

        return Messages.MutualTlsWithoutCaCertificate.At(
            gateway,
            $"spec.servers[{server}].tls.mode",
            $"Add the CA certificate under key ca.crt in Secret {ns}/{name}, or create Secret {ns}/{name}-cacert.",
            $"spec.servers[{server}]",
            tls.Mode,
            credentialName,
            $"{ns}/{name}-cacert",
            $"{ns}/{name}");
    }

    private static string MissingSecretAdvice(AnalysisContext context, Workload workload, string ns, string name)
    {
        var advice = $"Create Secret {ns}/{name} (type kubernetes.io/tls, keys tls.crt and tls.key): the gateway reads credentials only from the namespace its workload runs in, {workload.Namespace}.";
        if (workload.IsAssumed)
        {
            advice += $" (No Deployment or Pod in the configuration matches the Gateway's selector, so the gateway workload is assumed to run in {workload.Namespace}.)";
        }

        var elsewhere = context.Config.Secrets
            .Where(s => s.Metadata.Name == name && s.Metadata.Namespace != ns)
            .Select(s => s.Metadata.Namespace)
            .ToList();
        if (elsewhere.Count > 0)
        {
            advice += $" A Secret with that name exists in namespace {string.Join(", ", elsewhere)}, which the gateway cannot read: move it to {ns}.";
        }

        var certificate = context.Config.OfType<Certificate>()
            .FirstOrDefault(c => c.Spec.SecretName == name && c.Metadata.Namespace == ns);
        if (certificate is not null)
        {
            advice += $" {certificate.DisplayName} writes it once the certificate is issued, but the configuration does not show the whole issuance (the issuer, and for HTTP-01 a port-80 route to the solver); until the Secret exists TLS handshakes on this server fail.";
        }

        return advice;
    }
}

using System.Net;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Security;

/// <summary>
/// ING2012, for a local run only (<c>ingress analyze --local</c>): a RequestAuthentication <c>jwksUri</c> that the local
/// gateway will not fetch, because it only fetches keys from http(s) URLs on this machine. Every token of that issuer
/// is then refused there with 401, though the same YAML works on a cluster.
/// </summary>
public sealed class JwksUriLocalAnalyzer : IAnalyzer
{
    public string Name => "security.JwksUriLocalAnalyzer";

    public string Description => "With --local: checks that every jwksUri can be fetched by the local gateway (http or https on loopback)";

    public IReadOnlyList<string> Codes { get; } = [Messages.JwksUriNotFetchedLocally.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["RequestAuthentication"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        if (!context.LocalRun)
        {
            yield break;
        }

        foreach (var policy in context.Config.OfType<RequestAuthentication>())
        {
            for (var i = 0; i < policy.Spec.JwtRules.Count; i++)
            {
                var rule = policy.Spec.JwtRules[i];
                var uriText = rule.JwksUri ?? rule.JwksUriLegacy;
                // A URL that is not absolute http(s) is already a validation error (ING1406), as Istio's webhook
                // refuses it; inline keys next to a jwksUri likewise. Only a valid URL off this machine is left.
                if (uriText is null || rule.Jwks is not null
                    || !Uri.TryCreate(uriText, UriKind.Absolute, out var uri)
                    || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0
                    || IsLoopback(uri))
                {
                    continue;
                }

                yield return Messages.JwksUriNotFetchedLocally.At(
                    policy,
                    $"spec.jwtRules[{i}].{(rule.JwksUri is null ? "jwks_uri" : "jwksUri")}",
                    "For a local run, give the issuer's public keys inline in jwks (as deploy/overlays/local does) " +
                    "or serve the JWKS on 127.0.0.1; on a cluster the jwksUri is fetched by istiod as usual.",
                    Messages.Quote(uriText),
                    Messages.Quote(rule.Issuer));
            }
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}

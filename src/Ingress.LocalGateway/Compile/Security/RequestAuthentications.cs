using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Security.Jwt;

namespace Ingress.LocalGateway.Compile.Security;

/// <summary>Compiles the JWT providers of one workload from the RequestAuthentications in a config.</summary>
public static class RequestAuthentications
{
    /// <summary>
    /// Collects the <c>jwtRules</c> of every RequestAuthentication selected for the workload, sorted by issuer as
    /// Istio does. Rules whose keys cannot be used are reported (an error for bad inline keys, a warning for a
    /// <c>jwksUri</c> that a local run cannot reach; tokens of that issuer then fail).
    /// </summary>
    public static IReadOnlyList<JwtProvider> ForWorkload(ConfigSet config, WorkloadIdentity workload,
        out IReadOnlyList<Diagnostic> findings, string rootNamespace = PolicySelection.DefaultRootNamespace)
    {
        var diagnostics = new List<Diagnostic>();
        var rules = new List<(RequestAuthentication Policy, JwtRule Rule, int Index)>();
        foreach (var policy in config.OfType<RequestAuthentication>())
        {
            if (PolicySelection.UnsupportedTarget(policy.Spec.TargetRef, policy.Spec.TargetRefs) is { } target)
            {
                diagnostics.Add(Finding(policy, Severity.Error, SecurityCodes.TargetRefUnsupported, target,
                    "only a targetRef to a Gateway (gateway.networking.k8s.io) is supported by the local gateway; the other kinds " +
                    "select waypoints: use spec.selector with the workload's labels"));
                continue;
            }

            if (!PolicySelection.Applies(policy, policy.Spec.Selector, policy.Spec.TargetRef, policy.Spec.TargetRefs, workload, rootNamespace))
            {
                continue;
            }

            for (var i = 0; i < policy.Spec.JwtRules.Count; i++)
            {
                rules.Add((policy, policy.Spec.JwtRules[i], i));
            }
        }

        var providers = new List<JwtProvider>();
        var ordered = rules.OrderBy(r => r.Rule.Issuer ?? "", StringComparer.Ordinal).ToList();
        for (var n = 0; n < ordered.Count; n++)
        {
            var (policy, rule, index) = ordered[n];
            var path = $"spec.jwtRules[{index}]";
            var keys = Keys(policy, rule, path, diagnostics);
            if (keys is null)
            {
                continue;
            }

            providers.Add(new JwtProvider
            {
                Name = $"origins-{n}",
                Issuer = rule.Issuer ?? "",
                Audiences = rule.Audiences,
                Keys = keys,
                FromHeaders = rule.FromHeaders.Select(h => (h.Name ?? "", h.Prefix ?? "")).ToList(),
                FromParams = rule.FromParams,
                FromCookies = rule.FromCookies,
                Forward = rule.ForwardOriginalToken ?? false,
                PayloadHeader = string.IsNullOrEmpty(rule.OutputPayloadToHeader) ? null : rule.OutputPayloadToHeader,
                ClaimHeaders = rule.OutputClaimToHeaders.Select(c => (c.Header ?? "", c.Claim ?? "")).ToList(),
            });
        }

        findings = diagnostics;
        return providers;
    }

    private static JwksSpec? Keys(RequestAuthentication policy, JwtRule rule, string path, List<Diagnostic> diagnostics)
    {
        if (!string.IsNullOrWhiteSpace(rule.Jwks))
        {
            try
            {
                if (JwksSpec.ParseKeys(rule.Jwks).Count == 0)
                {
                    diagnostics.Add(Finding(policy, Severity.Error, SecurityCodes.InvalidJwtRule, path + ".jwks",
                        "the JWKS has no keys: give the issuer's public keys (a {\"keys\":[...]} document)"));
                    return null;
                }

                return JwksSpec.Inline(rule.Jwks);
            }
            catch (FormatException e)
            {
                diagnostics.Add(Finding(policy, Severity.Error, SecurityCodes.InvalidJwtRule, path + ".jwks",
                    $"jwks is {e.Message}: give the issuer's public keys as a {{\"keys\":[...]}} document"));
                return null;
            }
        }

        var uriText = rule.JwksUri ?? rule.JwksUriLegacy;
        if (string.IsNullOrWhiteSpace(uriText))
        {
            diagnostics.Add(Finding(policy, Severity.Error, SecurityCodes.InvalidJwtRule, path,
                $"issuer '{rule.Issuer}' has neither jwks nor jwksUri: give the keys inline for a local run"));
            return null;
        }

        if (!Uri.TryCreate(uriText, UriKind.Absolute, out var uri) || !JwksSpec.IsLocallyReachable(uri))
        {
            diagnostics.Add(Finding(policy, Severity.Warning, SecurityCodes.InvalidJwtRule, path + ".jwksUri",
                $"jwksUri '{uriText}' cannot be fetched in a local run (only http/https on loopback and file:// are): " +
                $"tokens of issuer '{rule.Issuer}' will be refused with \"{JwtStatus.JwksFetchFail}\"; put the keys " +
                "inline in jwks in a local overlay to test with them"));
            return JwksSpec.Unavailable(uriText);
        }

        return JwksSpec.Remote(uri);
    }

    private static Diagnostic Finding(RequestAuthentication policy, Severity severity, string code, string fieldPath, string message) => new()
    {
        Code = code,
        Severity = severity,
        Message = message,
        Resource = policy.DisplayName,
        FieldPath = fieldPath,
        Location = policy.LocationOf(fieldPath),
    };
}

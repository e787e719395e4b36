namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>
/// The authorization policies that apply to one workload, evaluated in Istio's order: DENY first (any match denies),
/// then ALLOW (when there is at least one ALLOW policy, a request is allowed only if one matches). AUDIT and dry-run
/// policies are evaluated and reported but never change the outcome. Immutable; a reload builds a new one.
/// </summary>
public sealed class AuthorizationEvaluator
{
    /// <summary>The body Envoy's RBAC filter answers with.</summary>
    public const string DeniedBody = "RBAC: access denied";

    private readonly CompiledPolicy[] _deny;
    private readonly CompiledPolicy[] _allow;
    private readonly CompiledPolicy[] _audit;
    private readonly CompiledPolicy[] _dryRun;

    public AuthorizationEvaluator(IEnumerable<CompiledPolicy> policies)
    {
        var all = policies.ToArray();
        _deny = all.Where(p => !p.DryRun && p.Action == "DENY").ToArray();
        _allow = all.Where(p => !p.DryRun && p.Action == "ALLOW").ToArray();
        _audit = all.Where(p => !p.DryRun && p.Action == "AUDIT").ToArray();
        _dryRun = all.Where(p => p.DryRun).ToArray();
        Policies = all;
    }

    /// <summary>No policies: everything is allowed.</summary>
    public static AuthorizationEvaluator Empty { get; } = new([]);

    public IReadOnlyList<CompiledPolicy> Policies { get; }

    /// <summary>Whether any policy applies at all (when none does, evaluation can be skipped).</summary>
    public bool IsEmpty => Policies.Count == 0;

    public AuthorizationDecision Evaluate(RequestAttributes request)
    {
        var audited = Matches(_audit, request);
        var dryRun = _dryRun.Length == 0 ? [] : _dryRun
            .Select(p => (p, rule: p.FirstMatch(request)))
            .Select(x => $"{x.p.Action} {x.p.Namespace}/{x.p.Name}: {(x.rule is null ? "no match" : "matched " + x.rule)}")
            .ToArray();

        foreach (var policy in _deny)
        {
            if (policy.FirstMatch(request) is { } rule)
            {
                return new AuthorizationDecision(false, rule, audited, dryRun);
            }
        }

        if (_allow.Length == 0)
        {
            return new AuthorizationDecision(true, null, audited, dryRun);
        }

        foreach (var policy in _allow)
        {
            if (policy.FirstMatch(request) is { } rule)
            {
                return new AuthorizationDecision(true, rule, audited, dryRun);
            }
        }

        return new AuthorizationDecision(false, null, audited, dryRun);
    }

    private static string[] Matches(CompiledPolicy[] policies, RequestAttributes request)
    {
        if (policies.Length == 0)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var policy in policies)
        {
            if (policy.FirstMatch(request) is { } rule)
            {
                names.Add(rule);
            }
        }

        return [.. names];
    }
}

/// <summary>The outcome of authorization for one request.</summary>
/// <param name="Allowed">Whether the request may go on.</param>
/// <param name="MatchedRule">The rule that decided (a DENY or ALLOW rule), or null when none matched.</param>
/// <param name="Audited">The AUDIT rules that matched.</param>
/// <param name="DryRun">What the dry-run policies would have done.</param>
public sealed record AuthorizationDecision(bool Allowed, string? MatchedRule, IReadOnlyList<string> Audited, IReadOnlyList<string> DryRun)
{
    /// <summary>Envoy's <c>%RESPONSE_CODE_DETAILS%</c> for a denial.</summary>
    public string Details => $"rbac_access_denied_matched_policy[{MatchedRule ?? "none"}]";
}

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>An AuthorizationPolicy ready to evaluate: its action and one predicate per rule.</summary>
public sealed record CompiledPolicy
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }

    /// <summary>ALLOW, DENY or AUDIT.</summary>
    public required string Action { get; init; }

    /// <summary>Set by the <c>istio.io/dry-run</c> annotation: the policy is evaluated and logged, never enforced.</summary>
    public bool DryRun { get; init; }

    public required IReadOnlyList<CompiledRule> Rules { get; init; }

    /// <summary>The Envoy name of the first rule that matches (<c>ns[x]-policy[y]-rule[i]</c>), or null.</summary>
    public string? FirstMatch(RequestAttributes request)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(request))
            {
                return rule.Name;
            }
        }

        return null;
    }
}

/// <summary>One rule of a policy with the name Envoy's RBAC filter gives it.</summary>
public sealed record CompiledRule(string Name, Func<RequestAttributes, bool> Matches);

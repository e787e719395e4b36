using Ingress.Config.Model;

namespace Ingress.Config.Analysis;

/// <summary>What an analyzer runs over: the loaded configuration and the facts about the cluster it cannot see.</summary>
public sealed record AnalysisContext
{
    public required ConfigSet Config { get; init; }

    /// <summary>
    /// The namespace the ingress gateway workload runs in when no Deployment in the configuration matches a Gateway's
    /// selector (Istio's default install puts it in <c>istio-system</c>). Gateway credentials are read from here.
    /// </summary>
    public string GatewayNamespace { get; init; } = "istio-system";

    /// <summary>Istio's root namespace: security policies without a selector here apply to the whole mesh.</summary>
    public string RootNamespace { get; init; } = "istio-system";

    /// <summary>
    /// True when the configuration is checked for a local run (<c>ingress analyze --local</c>): the checks of what the
    /// local gateway cannot do with it (a jwksUri off this machine) run too.
    /// </summary>
    public bool LocalRun { get; init; }

    /// <summary>The time certificates are checked against (expired, not yet valid).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}

using Ingress.Config.Analysis.Security;

namespace Ingress.Config.Tests.Analysis;

/// <summary>
/// How an AuthorizationPolicy namespace entry matches a Namespace: Istio's <c>authz/authorizationpolicies.go:
/// namespaceMatch</c>. Each row: the Namespace, the entry, whether it matches.
/// </summary>
public class AuthorizationPolicyNamespaceTests
{
    [Theory]
    [InlineData("monitoring", "*", true)]
    [InlineData("monitoring", "monitoring", true)]
    [InlineData("monitoring", "Monitoring", true)]
    [InlineData("monitoring", "monitorng", false)]
    [InlineData("team-a", "team-*", true)]
    [InlineData("team-a", "Team-*", false)]
    [InlineData("kube-system", "*-system", true)]
    [InlineData("kube-system", "*-SYSTEM", false)]
    [InlineData("team-a", "team", false)]
    public void Matches_as_namespace_match(string ns, string entry, bool expected) =>
        Assert.Equal(expected, AuthorizationPolicyNamespaceAnalyzer.Matches(ns, entry));
}

using System.Text.RegularExpressions;
using Ingress.Config.Analysis.Support;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;

namespace Ingress.Config.Analysis.Security;

/// <summary>
/// ING2009/ING2010: AuthorizationPolicy rules that can never match, and ALLOW policies without rules. In Istio an
/// ALLOW policy with no rules (<c>spec: {}</c>) matches nothing, so the selected workloads deny every request that no
/// other ALLOW policy allows; <c>rules: [{}]</c> is the opposite, an empty rule that matches every request
/// (<c>security/v1beta1/authorization_policy.proto</c>, istio.io "Authorization policies").
/// </summary>
public sealed partial class AuthorizationPolicyMatchAnalyzer : IAnalyzer
{
    private static readonly HashSet<string> KnownMethods =
        ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

    public string Name => "security.AuthorizationPolicyMatchAnalyzer";

    public string Description => "Checks for AuthorizationPolicy rules that can never match and ALLOW policies that allow nothing";

    public IReadOnlyList<string> Codes { get; } = [Messages.AuthorizationPolicyNeverMatches.Code, Messages.AllowNothingPolicy.Code];

    public IReadOnlyList<string> InputKinds { get; } = ["AuthorizationPolicy"];

    public IEnumerable<Diagnostic> Analyze(AnalysisContext context)
    {
        foreach (var policy in context.Config.OfType<AuthorizationPolicy>())
        {
            var action = string.IsNullOrEmpty(policy.Spec.Action) ? "ALLOW" : policy.Spec.Action;
            if (action == "ALLOW" && policy.Spec.Rules.Count == 0)
            {
                yield return Messages.AllowNothingPolicy.At(
                    policy,
                    "spec",
                    "If you meant to allow every request, write rules: [{}].",
                    PolicyScope.Describe(policy, policy.Spec.Selector, context.RootNamespace));
                continue;
            }

            for (var i = 0; i < policy.Spec.Rules.Count; i++)
            {
                if (NeverMatches(policy.Spec.Rules[i], $"spec.rules[{i}]") is { } cause)
                {
                    yield return Messages.AuthorizationPolicyNeverMatches.At(policy, cause.Path, cause.Advice, $"#{i}", action, cause.Reason);
                }
            }
        }
    }

    private static (string Path, string Reason, string Advice)? NeverMatches(Rule rule, string path)
    {
        if (rule.To.Count == 0)
        {
            return null;
        }

        (string Path, string Reason, string Advice)? first = null;
        for (var t = 0; t < rule.To.Count; t++)
        {
            var cause = rule.To[t].Operation is { } operation ? NeverMatches(operation, $"{path}.to[{t}].operation") : null;
            if (cause is null)
            {
                return null; // One operation that can match is enough for the rule.
            }

            first ??= cause;
        }

        return first;
    }

    private static (string Path, string Reason, string Advice)? NeverMatches(Operation operation, string path)
    {
        if (operation.Methods.Count > 0 && operation.Methods.All(m => !IsMethod(m)))
        {
            return ($"{path}.methods",
                $"methods {Messages.GoList(operation.Methods)} are not HTTP methods, and methods are compared case-sensitively.",
                "Write them in upper case (GET, POST, …).");
        }

        // Istio accepts any string here, but a request path always starts with '/' (or is '*' for OPTIONS * and CONNECT
        // is not matched on path), so a path that starts with neither '/' nor a '*' wildcard matches nothing.
        if (operation.Paths.Count > 0 && operation.Paths.All(p => p.Length > 0 && p[0] is not ('/' or '*')))
        {
            return ($"{path}.paths",
                $"paths {Messages.GoList(operation.Paths)} never match: a request path starts with /.",
                "Start each path with / (or use a * prefix or suffix match).");
        }

        foreach (var (list, field) in new[] { (operation.NotPaths, "notPaths"), (operation.NotMethods, "notMethods"), (operation.NotHosts, "notHosts"), (operation.NotPorts, "notPorts") })
        {
            var all = list.FirstOrDefault(v => v == "*" || (field == "notPaths" && v == "/*"));
            if (all is not null)
            {
                return ($"{path}.{field}", $"{field} {Messages.Quote(all)} excludes every request.", $"Remove it, or list only what the rule must exclude.");
            }
        }

        foreach (var (values, excluded, field) in new[]
                 {
                     (operation.Paths, operation.NotPaths, "paths"), (operation.Methods, operation.NotMethods, "methods"),
                     (operation.Hosts, operation.NotHosts, "hosts"), (operation.Ports, operation.NotPorts, "ports"),
                 })
        {
            if (values.Count > 0 && values.All(excluded.Contains))
            {
                return ($"{path}.{field}", $"every value of {field} is also in not{char.ToUpperInvariant(field[0])}{field[1..]}.", "Remove the values from one of the two lists.");
            }
        }

        return null;
    }

    /// <summary>An upper-case token (GET, PURGE, PROPFIND, …) or a wildcard; HTTP methods are case-sensitive.</summary>
    private static bool IsMethod(string method) =>
        method.Contains('*', StringComparison.Ordinal) || KnownMethods.Contains(method) || TokenPattern().IsMatch(method);

    [GeneratedRegex("^[A-Z][A-Z_-]*$")]
    private static partial Regex TokenPattern();
}

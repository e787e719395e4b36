using System.Globalization;
using Ingress.Config.Diagnostics;
using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Security.Authorization;

namespace Ingress.LocalGateway.Compile.Security;

/// <summary>
/// Turns one AuthorizationPolicy into predicates with Istio's semantics (<c>pilot/pkg/security/authz/model</c>):
/// a rule matches when one of its <c>from</c> entries, one of its <c>to</c> entries and all its <c>when</c> conditions
/// match; inside an entry every field that is set must match (a value list is OR, a <c>not*</c> list must not match);
/// a policy with no rules never matches, an empty rule (<c>{}</c>) matches everything. Anything it cannot enforce is
/// reported with the field path, never ignored.
/// </summary>
public static class AuthorizationPolicyCompiler
{
    private const string SpiffePrefix = "spiffe://";

    /// <summary>Compiles a policy; returns null with the findings when the policy cannot be enforced as written.</summary>
    public static CompiledPolicy? Compile(AuthorizationPolicy policy, out IReadOnlyList<Diagnostic> findings)
    {
        var errors = new List<Diagnostic>();
        var spec = policy.Spec;
        var action = (spec.Action ?? "ALLOW").ToUpperInvariant();
        if (action == "CUSTOM")
        {
            errors.Add(Error(policy, SecurityCodes.CustomActionUnsupported, "spec.action",
                $"action CUSTOM (external authorizer '{spec.Provider?.Name}') is not supported by the local gateway: " +
                "test the DENY/ALLOW parts locally and the external authorizer in a cluster"));
        }

        if (PolicySelection.UnsupportedTarget(spec.TargetRef, spec.TargetRefs) is { } target)
        {
            errors.Add(Error(policy, SecurityCodes.TargetRefUnsupported, target,
                "only a targetRef to a Gateway (gateway.networking.k8s.io) is supported by the local gateway; the other kinds " +
                "select waypoints: use spec.selector with the workload's labels"));
        }

        var rules = new List<CompiledRule>();
        for (var i = 0; i < spec.Rules.Count; i++)
        {
            var predicate = CompileRule(policy, spec.Rules[i], $"spec.rules[{i}]", errors);
            rules.Add(new CompiledRule(
                $"ns[{policy.Metadata.Namespace}]-policy[{policy.Metadata.Name}]-rule[{i}]", predicate));
        }

        findings = errors;
        if (errors.Count > 0)
        {
            return null;
        }

        var dryRun = policy.Metadata.Annotations.TryGetValue("istio.io/dry-run", out var flag)
            && bool.TryParse(flag, out var on) && on;
        return new CompiledPolicy
        {
            Namespace = policy.Metadata.Namespace,
            Name = policy.Metadata.Name,
            Action = action,
            DryRun = dryRun,
            Rules = rules,
        };
    }

    private static Func<RequestAttributes, bool> CompileRule(AuthorizationPolicy policy, Rule rule, string path, List<Diagnostic> errors)
    {
        var parts = new List<Func<RequestAttributes, bool>>();

        if (rule.From.Count > 0)
        {
            var sources = new List<Func<RequestAttributes, bool>>();
            for (var i = 0; i < rule.From.Count; i++)
            {
                sources.Add(CompileSource(policy, rule.From[i].Source, $"{path}.from[{i}].source", errors));
            }

            parts.Add(Any(sources));
        }

        if (rule.To.Count > 0)
        {
            var operations = new List<Func<RequestAttributes, bool>>();
            for (var i = 0; i < rule.To.Count; i++)
            {
                operations.Add(CompileOperation(policy, rule.To[i].Operation, $"{path}.to[{i}].operation", errors));
            }

            parts.Add(Any(operations));
        }

        for (var i = 0; i < rule.When.Count; i++)
        {
            parts.Add(CompileCondition(policy, rule.When[i], $"{path}.when[{i}]", errors));
        }

        return All(parts);
    }

    private static Func<RequestAttributes, bool> CompileSource(AuthorizationPolicy policy, Source? source, string path, List<Diagnostic> errors)
    {
        if (source is null)
        {
            return static _ => true;
        }

        var parts = new List<Func<RequestAttributes, bool>>();
        Field(parts, source.Principals, source.NotPrincipals, v => PeerPrincipal(v));
        Field(parts, source.RequestPrincipals, source.NotRequestPrincipals, RequestPrincipal);
        Field(parts, source.Namespaces, source.NotNamespaces, PeerNamespace);
        var ns = policy.Metadata.Namespace;
        Field(parts, source.ServiceAccounts, source.NotServiceAccounts, v => PeerServiceAccount(ns, v));
        if (source.TrustDomains.Count > 0 || source.NotTrustDomains.Count > 0)
        {
            errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path + ".trustDomains",
                "trustDomains is not supported by the local gateway: match the trust domain with principals " +
                "(e.g. \"cluster.local/*\")"));
        }

        Field(parts, source.IpBlocks, source.NotIpBlocks, v => Ip(v, r => r.PeerIp, policy, path + ".ipBlocks", errors));
        Field(parts, source.RemoteIpBlocks, source.NotRemoteIpBlocks, v => Ip(v, r => r.RemoteIp, policy, path + ".remoteIpBlocks", errors));
        return All(parts);
    }

    private static Func<RequestAttributes, bool> CompileOperation(AuthorizationPolicy policy, Operation? operation, string path, List<Diagnostic> errors)
    {
        if (operation is null)
        {
            return static _ => true;
        }

        var parts = new List<Func<RequestAttributes, bool>>();
        Field(parts, operation.Hosts, operation.NotHosts, v =>
        {
            var match = IstioStringMatch.Create(v, ignoreCase: true);
            return r => match.Matches(r.Host);
        });
        Field(parts, operation.Ports, operation.NotPorts, v => Port(v, policy, path + ".ports", errors));
        Field(parts, operation.Methods, operation.NotMethods, v =>
        {
            var match = IstioStringMatch.Create(v);
            return r => match.Matches(r.Method);
        });
        Field(parts, operation.Paths, operation.NotPaths, PathMatch);
        return All(parts);
    }

    private static Func<RequestAttributes, bool> CompileCondition(AuthorizationPolicy policy, Condition condition, string path, List<Diagnostic> errors)
    {
        var key = condition.Key ?? "";
        Func<string, Func<RequestAttributes, bool>>? value = key switch
        {
            "source.ip" => v => Ip(v, r => r.PeerIp, policy, path + ".values", errors),
            "remote.ip" => v => Ip(v, r => r.RemoteIp, policy, path + ".values", errors),
            "destination.ip" => v => Ip(v, r => r.DestinationIp, policy, path + ".values", errors),
            "destination.port" => v => Port(v, policy, path + ".values", errors),
            "source.principal" => PeerPrincipal,
            "source.namespace" => PeerNamespace,
            "source.serviceAccount" => v => PeerServiceAccount(policy.Metadata.Namespace, v),
            "request.auth.principal" => RequestPrincipal,
            "request.auth.audiences" => v => Claim(["aud"], v),
            "request.auth.presenter" => v => Claim(["azp"], v),
            "connection.sni" => v =>
            {
                var match = IstioStringMatch.Create(v);
                return r => match.Matches(r.Sni ?? "");
            },
            _ => null,
        };

        if (value is null && (key.StartsWith("request.headers", StringComparison.Ordinal)
            || key.StartsWith("request.experimental.inline.headers", StringComparison.Ordinal)))
        {
            var bracket = key.IndexOf('[', StringComparison.Ordinal);
            var names = bracket >= 0 ? JwtClaims.ParsePath(key[bracket..]) : null;
            if (names is not { Count: 1 })
            {
                errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path + ".key",
                    $"'{key}' must name one header in brackets, e.g. request.headers[x-user]"));
                return static _ => false;
            }

            var header = names[0];
            value = v => Header(header, v);
        }
        else if (value is null && key.StartsWith("request.auth.claims", StringComparison.Ordinal))
        {
            var names = JwtClaims.ParsePath(key["request.auth.claims".Length..]);
            if (names is null || key["request.auth.claims".Length..].StartsWith('.'))
            {
                errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path + ".key",
                    $"'{key}' must name the claim in brackets, e.g. request.auth.claims[groups] or request.auth.claims[realm][role]"));
                return static _ => false;
            }

            value = v => Claim(names, v);
        }
        else if (value is null && key.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal))
        {
            errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path + ".key",
                $"'{key}' reads Envoy filter metadata, which is not supported by the local gateway"));
            return static _ => false;
        }

        if (value is null)
        {
            errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path + ".key",
                $"unknown condition key '{key}': use one of request.headers[...], source.ip, remote.ip, source.namespace, " +
                "source.principal, source.serviceAccount, request.auth.principal, request.auth.audiences, " +
                "request.auth.presenter, request.auth.claims[...], destination.ip, destination.port, connection.sni"));
            return static _ => false;
        }

        if (condition.Values.Count == 0 && condition.NotValues.Count == 0)
        {
            errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path,
                $"condition '{key}' has neither values nor notValues: give at least one"));
        }

        var parts = new List<Func<RequestAttributes, bool>>();
        Field(parts, condition.Values, condition.NotValues, value);
        return All(parts);
    }

    private static void Field(List<Func<RequestAttributes, bool>> parts, IReadOnlyList<string> values, IReadOnlyList<string> notValues,
        Func<string, Func<RequestAttributes, bool>> compile)
    {
        if (values.Count > 0)
        {
            parts.Add(Any(values.Select(compile).ToList()));
        }

        if (notValues.Count > 0)
        {
            var any = Any(notValues.Select(compile).ToList());
            parts.Add(r => !any(r));
        }
    }

    private static Func<RequestAttributes, bool> PeerPrincipal(string value)
    {
        var match = IstioStringMatch.Create(value, SpiffePrefix);
        return r => r.Peer is { } peer && peer.MatchCandidates.Any(match.Matches);
    }

    private static Func<RequestAttributes, bool> PeerNamespace(string value)
    {
        var regex = IdentityPatterns.Namespace(value);
        return r => r.Peer is { } peer && peer.MatchCandidates.Any(regex.IsMatch);
    }

    private static Func<RequestAttributes, bool> PeerServiceAccount(string policyNamespace, string value)
    {
        var regex = IdentityPatterns.ServiceAccount(policyNamespace, value);
        return r => r.Peer is { } peer && peer.MatchCandidates.Any(regex.IsMatch);
    }

    /// <summary><c>iss/sub</c> split at the last slash, with Istio's wildcard rules for each side.</summary>
    private static Func<RequestAttributes, bool> RequestPrincipal(string value)
    {
        var slash = value.LastIndexOf('/');
        var found = slash >= 0;
        var iss = found ? value[..slash] : value;
        var sub = found ? value[(slash + 1)..] : "";
        IstioStringMatch matchIss;
        IstioStringMatch matchSub;
        if (value == "*")
        {
            matchIss = IstioStringMatch.Create("*");
            matchSub = IstioStringMatch.Create("*");
        }
        else if (value.StartsWith('*'))
        {
            if (found)
            {
                matchIss = iss == "*" ? IstioStringMatch.Create("*") : IstioStringMatch.Create(iss);
                matchSub = IstioStringMatch.Exact(sub);
            }
            else
            {
                matchIss = IstioStringMatch.Create("*");
                matchSub = IstioStringMatch.Create(value);
            }
        }
        else if (value.EndsWith('*'))
        {
            if (found)
            {
                matchIss = IstioStringMatch.Exact(iss);
                matchSub = sub == "*" ? IstioStringMatch.Create("*") : IstioStringMatch.Create(sub);
            }
            else
            {
                matchIss = IstioStringMatch.Create(value);
                matchSub = IstioStringMatch.Create("*");
            }
        }
        else
        {
            matchIss = IstioStringMatch.Exact(iss);
            matchSub = IstioStringMatch.Exact(sub);
        }

        return r => r.Jwt is { } jwt && matchIss.Matches(jwt.Issuer) && matchSub.Matches(jwt.Subject);
    }

    private static Func<RequestAttributes, bool> Claim(IReadOnlyList<string> names, string value)
    {
        var match = IstioStringMatch.Create(value);
        return r => r.Jwt is { } jwt && JwtClaims.Values(jwt.Payload, names).Any(match.Matches);
    }

    private static Func<RequestAttributes, bool> Header(string name, string value)
    {
        var match = IstioStringMatch.Create(value);
        return r => r.Headers.TryGetValue(name, out var actual) && (value == "*" || match.Matches(actual));
    }

    private static Func<RequestAttributes, bool> PathMatch(string value)
    {
        if (value.Contains("{*", StringComparison.Ordinal))
        {
            var regex = PathTemplate.ToRegex(value);
            return r => regex.IsMatch(r.Path);
        }

        var match = IstioStringMatch.Create(value);
        return r => match.Matches(r.Path);
    }

    private static Func<RequestAttributes, bool> Ip(string value, Func<RequestAttributes, System.Net.IPAddress?> select,
        AuthorizationPolicy policy, string path, List<Diagnostic> errors)
    {
        var block = IpBlock.TryParse(value);
        if (block is null)
        {
            errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path,
                $"'{value}' is not an IP address or CIDR range (e.g. 10.0.0.1 or 10.0.0.0/8)"));
            return static _ => false;
        }

        return r => block.Contains(select(r));
    }

    private static Func<RequestAttributes, bool> Port(string value, AuthorizationPolicy policy, string path, List<Diagnostic> errors)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            errors.Add(Error(policy, SecurityCodes.InvalidAuthorizationPolicy, path,
                $"'{value}' is not a port number (0-65535)"));
            return static _ => false;
        }

        return r => r.DestinationPort == port;
    }

    private static Func<RequestAttributes, bool> All(List<Func<RequestAttributes, bool>> parts) => parts.Count switch
    {
        0 => static _ => true,
        1 => parts[0],
        _ => r =>
        {
            foreach (var part in parts)
            {
                if (!part(r))
                {
                    return false;
                }
            }

            return true;
        },
    };

    private static Func<RequestAttributes, bool> Any(List<Func<RequestAttributes, bool>> parts) => parts.Count switch
    {
        0 => static _ => false,
        1 => parts[0],
        _ => r =>
        {
            foreach (var part in parts)
            {
                if (part(r))
                {
                    return true;
                }
            }

            return false;
        },
    };

    private static Diagnostic Error(AuthorizationPolicy policy, string code, string fieldPath, string message) => new()
    {
        Code = code,
        Severity = Severity.Error,
        Message = message,
        Resource = policy.DisplayName,
        FieldPath = fieldPath,
        Location = policy.LocationOf(fieldPath),
    };
}

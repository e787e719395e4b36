using System.Globalization;
using System.Text.Json;
using Ingress.Config.Istio;
using Ingress.Config.Model;
using static Ingress.Config.Validation.ValidationCodes;

namespace Ingress.Config.Validation;

/// <summary>
/// The checks Istio makes for the security kinds: AuthorizationPolicy, RequestAuthentication and PeerAuthentication
/// (ValidateAuthorizationPolicy, ValidateRequestAuthentication, ValidatePeerAuthentication), and the selector rules
/// they share with Telemetry.
/// </summary>
internal static partial class SecurityValidators
{
    private static readonly string[] Actions = ["ALLOW", "DENY", "AUDIT", "CUSTOM"];
    private static readonly string[] MtlsModes = ["UNSET", "DISABLE", "PERMISSIVE", "STRICT"];

    public static void Selector(WorkloadSelector selector, string path, Findings f)
    {
        foreach (var (key, value) in selector.MatchLabels)
        {
            if (key.Length == 0)
            {
                f.Error(SelectorLabels, $"{path}.matchLabels", $"empty key is not supported in selector: \"{key}={value}\"");
            }

            if (key.Contains('*', StringComparison.Ordinal) || value.Contains('*', StringComparison.Ordinal))
            {
                f.Error(SelectorLabels, $"{path}.matchLabels.{key}", $"wildcard is not supported in selector: \"{key}={value}\"");
            }
        }

        if (selector.MatchLabels.Count == 0)
        {
            f.Warning(SelectorLabels, path, "workload selector specified without labels");
        }
    }

    /// <summary>selector, targetRef and targetRefs are alternatives; each targetRef must name an allowed kind in the same namespace.</summary>
    public static void Targets(WorkloadSelector? selector, PolicyTargetReference? targetRef,
        IReadOnlyList<PolicyTargetReference> targetRefs, Findings f)
    {
        var set = (selector is null ? 0 : 1) + (targetRef is null ? 0 : 1) + (targetRefs.Count > 0 ? 1 : 0);
        if (set > 1)
        {
            f.Error(TargetRef, "spec", "only one of targetRefs or workloadSelector can be set");
        }

        if (selector is not null)
        {
            Selector(selector, "spec.selector", f);
        }

        if (targetRef is not null)
        {
            Target(targetRef, "spec.targetRef", f);
        }

        for (var i = 0; i < targetRefs.Count; i++)
        {
            Target(targetRefs[i], $"spec.targetRefs[{i}]", f);
        }
    }

    private static void Target(PolicyTargetReference target, string path, Findings f)
    {
        if (string.IsNullOrEmpty(target.Name))
        {
            f.Error(TargetRef, $"{path}.name", "targetRef name must be set");
        }

        if (!string.IsNullOrEmpty(target.Namespace))
        {
            f.Error(TargetRef, $"{path}.namespace", "targetRef namespace must not be set; cross namespace referencing is not supported");
        }

        var group = string.IsNullOrEmpty(target.Group) ? "core" : target.Group;
        var allowed = (group, target.Kind) is ("core", "Service") or ("networking.istio.io", "ServiceEntry") or
            ("gateway.networking.k8s.io", "Gateway");
        if (!allowed)
        {
            f.Error(TargetRef, path,
                $"targetRef must be to one of [core/Service networking.istio.io/ServiceEntry gateway.networking.k8s.io/Gateway] but was {target.Group}/{target.Kind}");
        }
    }

    public static void AuthorizationPolicy(AuthorizationPolicy policy, Findings f)
    {
        var spec = policy.Spec;
        Targets(spec.Selector, spec.TargetRef, spec.TargetRefs, f);
        var action = spec.Action ?? "ALLOW";
        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            f.Error(AuthorizationAction, "spec.action", $"unknown action \"{action}\"; use one of {string.Join(", ", Actions)}");
        }

        if (action == "CUSTOM")
        {
            if (spec.Rules.Count == 0)
            {
                f.Error(AuthorizationProvider, "spec.rules",
                    "CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request");
            }
            else if (string.IsNullOrEmpty(spec.Provider?.Name))
            {
                // Point at what was written: the provider block, or the action that needs one.
                f.Error(AuthorizationProvider, spec.Provider is null ? "spec.action" : "spec.provider.name",
                    "`provider.name` must not be empty (a CUSTOM action names its external authorizer in provider.name)");
            }
        }
        else if (spec.Provider is not null)
        {
            f.Error(AuthorizationProvider, "spec.provider", $"`provider` must not be with non CUSTOM action, found {action}");
        }

        if (action == "DENY" && spec.Rules.Count == 0)
        {
            f.Error(AuthorizationRule, "spec.rules",
                "DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request");
        }

        for (var i = 0; i < spec.Rules.Count; i++)
        {
            Rule(spec.Rules[i], i, action, f);
        }
    }

    private static void Rule(Rule rule, int i, string action, Findings f)
    {
        var path = $"spec.rules[{i}]";
        if (rule.From.Count == 0 && f.IsWritten($"{path}.from"))
        {
            f.Error(AuthorizationRule, $"{path}.from", $"`from` must not be empty, found at rule {i}");
        }

        if (rule.To.Count == 0 && f.IsWritten($"{path}.to"))
        {
            f.Error(AuthorizationRule, $"{path}.to", $"`to` must not be empty, found at rule {i}");
        }

        var fromExists = false;
        var toExists = false;
        var tcpInFrom = false;
        var tcpInTo = false;
        for (var j = 0; j < rule.From.Count; j++)
        {
            var at = $"{path}.from[{j}]";
            if (rule.From[j].Source is not { } source)
            {
                f.Error(AuthorizationRule, at, $"`from.source` must not be nil, found at rule {i}");
                continue;
            }

            fromExists = true;
            if (source.Principals.Count + source.NotPrincipals.Count + source.Namespaces.Count + source.NotNamespaces.Count > 0 &&
                source.ServiceAccounts.Count + source.NotServiceAccounts.Count > 0)
            {
                f.Error(AuthorizationRule, $"{at}.source", $"cannot set serviceAccounts with namespaces or principals, found at rule {i}");
            }

            if (action == "CUSTOM")
            {
                foreach (var (name, values) in new[] { ("From.Namespaces", source.Namespaces), ("From.NotNamespaces", source.NotNamespaces),
                             ("From.ServiceAccounts", source.ServiceAccounts), ("From.NotServiceAccounts", source.NotServiceAccounts),
                             ("From.Principals", source.Principals), ("From.NotPrincipals", source.NotPrincipals),
                             ("From.RequestPrincipals", source.RequestPrincipals), ("From.NotRequestPrincipals", source.NotRequestPrincipals) })
                {
                    if (values.Count > 0)
                    {
                        f.Error(AuthorizationCondition, $"{at}.source", $"{name} is currently not supported with CUSTOM action");
                    }
                }
            }

            var lists = new (string Name, IReadOnlyList<string> Values)[]
            {
                ("Principals", source.Principals), ("RequestPrincipals", source.RequestPrincipals), ("Namespaces", source.Namespaces),
                ("IpBlocks", source.IpBlocks), ("RemoteIpBlocks", source.RemoteIpBlocks), ("NotPrincipals", source.NotPrincipals),
                ("NotRequestPrincipals", source.NotRequestPrincipals), ("NotNamespaces", source.NotNamespaces),
                ("NotIpBlocks", source.NotIpBlocks), ("NotRemoteIpBlocks", source.NotRemoteIpBlocks),
                ("ServiceAccounts", source.ServiceAccounts), ("NotServiceAccounts", source.NotServiceAccounts),
            };
            if (lists.All(l => l.Values.Count == 0))
            {
                f.Error(AuthorizationRule, $"{at}.source", $"`from.source` must not be empty, found at rule {i}");
            }

            foreach (var (name, values) in lists)
            {
                EmptyValues(name, values, $"{at}.source.{char.ToLowerInvariant(name[0])}{name[1..]}", f);
            }

            foreach (var (name, values) in new[] { ("ipBlocks", source.IpBlocks), ("notIpBlocks", source.NotIpBlocks),
                         ("remoteIpBlocks", source.RemoteIpBlocks), ("notRemoteIpBlocks", source.NotRemoteIpBlocks) })
            {
                for (var k = 0; k < values.Count; k++)
                {
                    if (IpError(values[k]) is { } error)
                    {
                        f.Error(AuthorizationRule, $"{at}.source.{name}[{k}]", error);
                    }
                }
            }

            tcpInFrom |= source.Principals.Count + source.NotPrincipals.Count + source.IpBlocks.Count + source.NotIpBlocks.Count +
                source.Namespaces.Count + source.NotNamespaces.Count + source.RemoteIpBlocks.Count + source.NotRemoteIpBlocks.Count > 0;
        }

        for (var j = 0; j < rule.To.Count; j++)
        {
            var at = $"{path}.to[{j}]";
            if (rule.To[j].Operation is not { } operation)
            {
                f.Error(AuthorizationRule, at, $"`to.operation` must not be nil, found at rule {i}");
                continue;
            }

            toExists = true;
            var lists = new (string Name, IReadOnlyList<string> Values)[]
            {
                ("Ports", operation.Ports), ("Methods", operation.Methods), ("Paths", operation.Paths), ("Hosts", operation.Hosts),
                ("NotPorts", operation.NotPorts), ("NotMethods", operation.NotMethods), ("NotPaths", operation.NotPaths),
                ("NotHosts", operation.NotHosts),
            };
            if (lists.All(l => l.Values.Count == 0))
            {
                f.Error(AuthorizationRule, $"{at}.operation", $"`to.operation` must not be empty, found at rule {i}");
            }

            foreach (var (name, values) in lists)
            {
                EmptyValues(name, values, $"{at}.operation.{char.ToLowerInvariant(name[0])}{name[1..]}", f);
            }

            foreach (var (name, values) in new[] { ("ports", operation.Ports), ("notPorts", operation.NotPorts) })
            {
                for (var k = 0; k < values.Count; k++)
                {
                    if (PortError(values[k]) is { } error)
                    {
                        f.Error(AuthorizationRule, $"{at}.operation.{name}[{k}]", error);
                    }
                }
            }

            foreach (var (name, values) in new[] { ("paths", operation.Paths), ("notPaths", operation.NotPaths) })
            {
                for (var k = 0; k < values.Count; k++)
                {
                    if (PathTemplateError(values[k]) is not null)
                    {
                        f.Error(AuthorizationRule, $"{at}.operation.{name}[{k}]",
                            $"invalid or unsupported path template, found in {char.ToUpperInvariant(name[0])}{name[1..]} " +
                            "(only {*} and {**} are supported, as whole path segments)");
                    }
                }
            }

            tcpInTo |= operation.Ports.Count + operation.NotPorts.Count > 0;
        }

        for (var j = 0; j < rule.When.Count; j++)
        {
            Condition(rule.When[j], $"{path}.when[{j}]", action, f);
        }

        if (action == "DENY" && ((fromExists && !toExists && !tcpInFrom) || (toExists && !tcpInTo)))
        {
            f.Warning(AuthorizationRule, path,
                "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope due to the use of only HTTP attributes in a DENY rule; it is recommended to explicitly specify the port");
        }
    }

    /// <summary>
    /// Istio's check of a <c>when</c> condition: a key, at least one of values and notValues, then
    /// <c>security.ValidateAttribute</c> on each list: no empty string, then what the key needs (known attribute,
    /// <c>name[key]</c> form, IP addresses, ports); CUSTOM policies cannot use source or request.auth attributes.
    /// </summary>
    private static void Condition(Condition condition, string path, string action, Findings f)
    {
        var key = condition.Key ?? "";
        if (key.Length == 0)
        {
            f.Error(AuthorizationCondition, $"{path}.key", "`key` must not be empty");
            return;
        }

        if (condition.Values.Count == 0 && condition.NotValues.Count == 0)
        {
            f.Error(AuthorizationCondition, path, $"at least one of `values` or `notValues` must be set for key {key}");
        }
        else
        {
            foreach (var (field, values) in new[] { ("values", condition.Values), ("notValues", condition.NotValues) })
            {
                if (AttributeError(key, values) is { } error)
                {
                    f.Error(AuthorizationCondition, $"{path}.{field}",
                        $"invalid `{(field == "values" ? "value" : "notValue")}` for `key` {key}: {error}");
                }
            }
        }

        if (action == "CUSTOM" && (key is "source.namespace" or "source.serviceAccount" or "source.principal" ||
                                   key.StartsWith("request.auth.", StringComparison.Ordinal)))
        {
            f.Error(AuthorizationCondition, $"{path}.key", $"{key} is currently not supported with CUSTOM action");
        }
    }

    /// <summary>Istio's security.ValidateAttribute for one list of a condition; null when valid.</summary>
    private static string? AttributeError(string key, IReadOnlyList<string> values)
    {
        if (values.Any(v => v.Length == 0))
        {
            return $"empty value not allowed, found in {key}";
        }

        switch (key)
        {
            case "source.ip" or "remote.ip" or "destination.ip":
                return values.Select(IpError).FirstOrDefault(e => e is not null);
            case "destination.port":
                return values.Select(PortError).FirstOrDefault(e => e is not null);
            case "source.namespace" or "source.principal" or "request.auth.principal" or "request.auth.audiences" or
                "request.auth.presenter" or "connection.sni":
                return null;
            case "destination.namespace":
                return $"attribute {key} is replaced by the metadata.namespace";
            case "destination.name" or "destination.user":
                return $"deprecated attribute {key}: only supported in v1alpha1";
        }

        if (key.StartsWith("request.headers", StringComparison.Ordinal) || key.StartsWith("request.auth.claims", StringComparison.Ordinal) ||
            key.StartsWith("experimental.envoy.filters.", StringComparison.Ordinal))
        {
            var open = key.IndexOf('[', StringComparison.Ordinal);
            return key.EndsWith(']') && open > 0 && open < key.Length - 2 ? null : $"bad key ({key}): should have format a[b]";
        }

        if (key.StartsWith("destination.labels", StringComparison.Ordinal))
        {
            return $"attribute {key} is replaced by the workload selector";
        }

        return $"unknown attribute: {key} (Istio knows request.headers[<name>], source.ip, remote.ip, source.namespace, " +
               "source.principal, request.auth.principal, request.auth.audiences, request.auth.presenter, " +
               "request.auth.claims[<name>], destination.ip, destination.port and connection.sni)";
    }

    /// <summary>Istio's security.ValidateIPs for one entry: a Go netip prefix when it has a slash, else an address.</summary>
    private static string? IpError(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        return value.Contains('/', StringComparison.Ordinal)
            ? IpAddresses.IsPrefix(value) ? null : $"bad CIDR range ({value}): it is not an IP address followed by /bits"
            : IpAddresses.IsAddress(value) ? null : $"bad IP address ({value})";
    }

    /// <summary>Istio's security.ValidatePorts for one entry: a decimal number up to 65535 (0 allowed).</summary>
    private static string? PortError(string value) =>
        value.Length == 0 || (value.All(char.IsAsciiDigit) && value.Length <= 10 &&
                              ulong.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) <= 65535)
            ? null
            : $"bad port ({value}): a port is a number from 0 to 65535";

    /// <summary>
    /// Istio's security.CheckValidPathTemplate: a path using <c>{*}</c> or <c>{**}</c> must not also use named
    /// variables, <c>{}</c>, or <c>*</c> / <c>**</c> outside braces next to a slash. Null when valid.
    /// </summary>
    private static string? PathTemplateError(string path)
    {
        if (!path.Contains("{*}", StringComparison.Ordinal) && !path.Contains("{**}", StringComparison.Ordinal))
        {
            return null;
        }

        return UnsupportedPathTemplate().IsMatch(path) ? "unsupported" : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\/{\w+\=\*[*]?\}|{\w*\}|\/\*[*]?|\*[*]?\/")]
    private static partial System.Text.RegularExpressions.Regex UnsupportedPathTemplate();

    private static void EmptyValues(string name, IReadOnlyList<string> values, string path, Findings f)
    {
        for (var k = 0; k < values.Count; k++)
        {
            if (values[k].Length == 0)
            {
                f.Error(AuthorizationRule, $"{path}[{k}]", $"empty value not allowed, found in {name}");
            }
        }
    }

    public static void RequestAuthentication(RequestAuthentication authentication, Findings f)
    {
        var spec = authentication.Spec;
        Targets(spec.Selector, spec.TargetRef, spec.TargetRefs, f);
        for (var i = 0; i < spec.JwtRules.Count; i++)
        {
            var rule = spec.JwtRules[i];
            var path = $"spec.jwtRules[{i}]";
            var jwksUri = rule.JwksUri ?? rule.JwksUriLegacy;
            if (!Proto3.IsSet(rule.Issuer) && !Proto3.IsSet(jwksUri))
            {
                f.Error(JwtRules, $"{path}.issuer", "issuer or jwksUri must be non-empty string");
            }

            for (var a = 0; a < rule.Audiences.Count; a++)
            {
                if (rule.Audiences[a].Length == 0)
                {
                    f.Error(JwtRules, $"{path}.audiences[{a}]", "audience must be non-empty string");
                }
            }

            var uriField = rule.JwksUri is null ? "jwks_uri" : "jwksUri";
            if (jwksUri is not null && rule.Jwks is not null)
            {
                f.Error(JwtRules, $"{path}.jwks", "only one of jwks or jwksUri may be set: jwks holds the keys inline, jwksUri fetches them");
            }

            // Istio's security.ParseJwksURI: the scheme must be http or https (a missing host is not checked).
            if (Proto3.IsSet(jwksUri))
            {
                var scheme = UrlScheme(jwksUri!);
                if (scheme is not ("http" or "https"))
                {
                    f.Error(JwtRules, $"{path}.{uriField}", $"URI scheme \"{scheme}\" is not supported: use an absolute http:// or https:// URL");
                }
            }

            if (rule.Jwks is { } jwks && JwksError(jwks) is { } jwksError)
            {
                f.Error(JwtRules, $"{path}.jwks", $"jwks parse error: {jwksError}");
            }

            for (var h = 0; h < rule.FromHeaders.Count; h++)
            {
                if (string.IsNullOrEmpty(rule.FromHeaders[h].Name))
                {
                    f.Error(JwtRules, $"{path}.fromHeaders[{h}].name", "location header name must be non-empty string");
                }
            }

            for (var q = 0; q < rule.FromParams.Count; q++)
            {
                if (rule.FromParams[q].Length == 0)
                {
                    f.Error(JwtRules, $"{path}.fromParams[{q}]", "location query must be non-empty string");
                }
            }

            for (var c = 0; c < rule.FromCookies.Count; c++)
            {
                if (rule.FromCookies[c].Length == 0)
                {
                    f.Error(JwtRules, $"{path}.fromCookies[{c}]", "cookie name must be non-empty string");
                }
            }

            for (var o = 0; o < rule.OutputClaimToHeaders.Count; o++)
            {
                var claim = rule.OutputClaimToHeaders[o];
                if (string.IsNullOrEmpty(claim.Claim) || string.IsNullOrEmpty(claim.Header))
                {
                    f.Error(JwtRules, $"{path}.outputClaimToHeaders[{o}]", "outputClaimToHeaders header and claim value must be non-empty string");
                }
                else if (!Names.IsStrictHeaderName(claim.Header))
                {
                    f.Error(JwtRules, $"{path}.outputClaimToHeaders[{o}].header", $"header name {claim.Header} is not a valid header name");
                }
            }

            if (rule.Timeout is { } timeout && Istio.Durations.ValidationError(timeout) is { } timeoutError)
            {
                f.Error(Duration, $"{path}.timeout", timeoutError);
            }
        }
    }

    private static readonly System.Buffers.SearchValues<char> SchemeCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    /// <summary>The scheme Go's url.Parse finds: letters, digits, '+', '-', '.' after a letter, before ':' (lower-cased); "" if none.</summary>
    private static string UrlScheme(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(url[0]) ||
            url.AsSpan(0, colon).ContainsAnyExcept(SchemeCharacters))
        {
            return "";
        }

        return url[..colon].ToLowerInvariant();
    }

    private static string? JwksError(string jwks)
    {
        try
        {
            using var document = JsonDocument.Parse(jwks);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
                ? null
                : "a JWKS is a JSON object with a \"keys\" array";
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    public static void PeerAuthentication(PeerAuthentication authentication, Findings f)
    {
        var spec = authentication.Spec;
        var emptySelector = spec.Selector is null || spec.Selector.MatchLabels.Count == 0;
        if (emptySelector && spec.PortLevelMtls.Count > 0)
        {
            f.Error(PeerAuthenticationPorts, "spec.portLevelMtls",
                "mesh/namespace peer authentication cannot have port level mTLS (add a selector naming the workload)");
        }

        foreach (var (port, mtls) in spec.PortLevelMtls)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                f.Error(PeerAuthenticationPorts, $"spec.portLevelMtls.{port}", "port must be in range 1..65535");
            }

            Mode(mtls.Mode, $"spec.portLevelMtls.{port}.mode", f);
        }

        Mode(spec.Mtls?.Mode, "spec.mtls.mode", f);
        if (spec.Selector is not null)
        {
            Selector(spec.Selector, "spec.selector", f);
        }
    }

    private static void Mode(string? mode, string path, Findings f)
    {
        if (mode is not null && !MtlsModes.Contains(mode, StringComparer.Ordinal))
        {
            f.Error(PeerAuthenticationMode, path, $"unknown mTLS mode \"{mode}\"; use one of {string.Join(", ", MtlsModes)}");
        }
    }
}

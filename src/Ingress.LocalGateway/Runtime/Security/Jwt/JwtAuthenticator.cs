using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Ingress.LocalGateway.Snapshot.Security.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace Ingress.LocalGateway.Runtime.Security.Jwt;

/// <summary>
/// Envoy's jwt_authn filter as Istio configures it (<c>pilot/pkg/security/authn/policy_applier.go</c>): with one
/// provider the requirement is <c>any(provider, allow_missing)</c>; with several it is
/// <c>any(P0, P1, …, all(any(P0, allow_missing), any(P1, allow_missing), …))</c>. So a request without a token
/// passes, a request whose tokens fail is refused with the status of the requirement that decided, and a verified
/// token's principal and claims are handed to authorization.
/// </summary>
public sealed class JwtAuthenticator
{
    // Envoy's default when JwtProvider.clock_skew_seconds is unset (jwt_authn config.proto; jwt.h kClockSkewInSecond),
    // which Istio never sets: RequestAuthentication has no field for it.
    private const long ClockSkewSeconds = 60;
    private readonly IReadOnlyList<JwtProvider> _providers;
    private readonly Dictionary<JwtProvider, JwksSource> _keys = new(ReferenceEqualityComparer.Instance);
    private readonly Requirement _requirement;
    private readonly TimeProvider _time;

    /// <param name="providers">The compiled providers of the workload.</param>
    /// <param name="keys">Where their keys are kept across reloads (a new cache when not given).</param>
    /// <param name="time">The clock tokens are checked against.</param>
    public JwtAuthenticator(IReadOnlyList<JwtProvider> providers, JwksCache? keys = null, TimeProvider? time = null)
    {
        _providers = providers;
        _time = time ?? TimeProvider.System;
        keys ??= new JwksCache(time: time);
        foreach (var provider in providers)
        {
            _keys[provider] = keys.Resolve(provider.Keys);
        }

        _requirement = Build(providers);
    }

    /// <summary>No rules: every request passes untouched.</summary>
    public static JwtAuthenticator None { get; } = new([]);

    public IReadOnlyList<JwtProvider> Providers => _providers;

    public bool IsEmpty => _providers.Count == 0;

    /// <summary>Authenticates a request; <paramref name="isCorsPreflight"/> requests bypass it as in Istio.</summary>
    public async ValueTask<JwtResult> AuthenticateAsync(IJwtRequest request, bool isCorsPreflight, CancellationToken ct)
    {
        if (_providers.Count == 0)
        {
            return JwtResult.Pass;
        }

        // Output headers a client sent itself must never reach the upstream as if they came from verification.
        var sanitize = _providers.SelectMany(p => p.ClaimHeaders.Select(c => c.Header).Append(p.PayloadHeader ?? ""))
            .Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (isCorsPreflight)
        {
            return new JwtResult { RemoveHeaders = sanitize };
        }

        var context = new Context(request, _time.GetUtcNow().ToUnixTimeSeconds());
        var status = await _requirement.VerifyAsync(this, context, ct).ConfigureAwait(false);
        if (status is not null)
        {
            return new JwtResult { Failure = status, RemoveHeaders = sanitize };
        }

        var success = context.Success;
        if (success is null)
        {
            return new JwtResult { RemoveHeaders = sanitize };
        }

        return new JwtResult
        {
            Jwt = success.Jwt,
            RemoveHeaders = [.. sanitize, .. success.RemoveHeaders],
            AddHeaders = success.AddHeaders,
            RemoveQueryParameters = success.RemoveParams,
        };
    }

    private static AnyOf Build(IReadOnlyList<JwtProvider> providers)
    {
        if (providers.Count == 0)
        {
            return new AnyOf([]);
        }

        if (providers.Count == 1)
        {
            return new AnyOf([new ProviderRequirement(providers[0]), new AllowMissing([providers[0]])]);
        }

        var inner = providers.Select(p => (Requirement)new AnyOf([new ProviderRequirement(p), new AllowMissing([p])])).ToList();
        var outer = providers.Select(p => (Requirement)new ProviderRequirement(p)).ToList();
        outer.Add(new AllOf(inner));
        return new AnyOf(outer);
    }

    /// <summary>A token found in the request, the issuers allowed at that location, and how to remove it.</summary>
    private sealed record Located(string Token, IReadOnlySet<string> Issuers, bool AnyIssuer, string? Header, string? Param);

    private sealed class Context(IJwtRequest request, long now)
    {
        public IJwtRequest Request { get; } = request;
        public long Now { get; } = now;
        public Outcome? Success { get; set; }
    }

    private sealed record Outcome(VerifiedJwt Jwt, List<string> RemoveHeaders, List<KeyValuePair<string, string>> AddHeaders, List<string> RemoveParams);

    private abstract class Requirement
    {
        /// <summary>Null when satisfied, else the status.</summary>
        public abstract ValueTask<string?> VerifyAsync(JwtAuthenticator auth, Context context, CancellationToken ct);
    }

    private sealed class AnyOf(IReadOnlyList<Requirement> children) : Requirement
    {
        public override async ValueTask<string?> VerifyAsync(JwtAuthenticator auth, Context context, CancellationToken ct)
        {
            string? status = null;
            foreach (var child in children)
            {
                status = await child.VerifyAsync(auth, context, ct).ConfigureAwait(false);
                if (status is null)
                {
                    return null;
                }
            }

            return status;
        }
    }

    private sealed class AllOf(IReadOnlyList<Requirement> children) : Requirement
    {
        public override async ValueTask<string?> VerifyAsync(JwtAuthenticator auth, Context context, CancellationToken ct)
        {
            foreach (var child in children)
            {
                if (await child.VerifyAsync(auth, context, ct).ConfigureAwait(false) is { } status)
                {
                    return status;
                }
            }

            return null;
        }
    }

    private sealed class ProviderRequirement(JwtProvider provider) : Requirement
    {
        public override ValueTask<string?> VerifyAsync(JwtAuthenticator auth, Context context, CancellationToken ct) =>
            auth.VerifyTokensAsync(context, [provider], provider, allowMissing: false, ct);
    }

    private sealed class AllowMissing(IReadOnlyList<JwtProvider> providers) : Requirement
    {
        public override ValueTask<string?> VerifyAsync(JwtAuthenticator auth, Context context, CancellationToken ct) =>
            auth.VerifyTokensAsync(context, providers, null, allowMissing: true, ct);
    }

    private async ValueTask<string?> VerifyTokensAsync(Context context, IReadOnlyList<JwtProvider> providers,
        JwtProvider? specific, bool allowMissing, CancellationToken ct)
    {
        var tokens = Extract(context.Request, providers);
        if (tokens.Count == 0)
        {
            return allowMissing ? null : JwtStatus.Missing;
        }

        // Envoy verifies the last token found first; every token must pass unless missing ones are allowed, in
        // which case the status of the last one verified decides.
        var outcomes = new List<Outcome>();
        string? status = null;
        for (var i = tokens.Count - 1; i >= 0; i--)
        {
            var (result, outcome) = await VerifyOneAsync(context, tokens[i], providers, specific, ct).ConfigureAwait(false);
            status = result;
            if (outcome is not null)
            {
                outcomes.Add(outcome);
            }

            if (status is not null && !allowMissing)
            {
                return status;
            }
        }

        if (status is null && outcomes.Count > 0)
        {
            var first = outcomes[^1];
            context.Success = new Outcome(first.Jwt,
                outcomes.SelectMany(o => o.RemoveHeaders).ToList(),
                outcomes.SelectMany(o => o.AddHeaders).ToList(),
                outcomes.SelectMany(o => o.RemoveParams).ToList());
        }

        return status;
    }

    private async ValueTask<(string? Status, Outcome? Outcome)> VerifyOneAsync(Context context, Located located,
        IReadOnlyList<JwtProvider> providers, JwtProvider? specific, CancellationToken ct)
    {
        var token = JwtToken.Parse(located.Token, out var parseStatus);
        if (token is null)
        {
            return (parseStatus, null);
        }

        if (!located.AnyIssuer && !located.Issuers.Contains(token.Issuer))
        {
            return (JwtStatus.UnknownIssuer, null);
        }

        var provider = specific ?? providers.FirstOrDefault(p => p.Issuer == token.Issuer) ?? providers.FirstOrDefault(p => p.Issuer.Length == 0);
        if (provider is null)
        {
            return (JwtStatus.UnknownIssuer, null);
        }

        if (token.NotBefore is { } nbf && nbf > context.Now + ClockSkewSeconds)
        {
            return (JwtStatus.NotYetValid, null);
        }

        if (token.Expires is { } exp && context.Now > exp + ClockSkewSeconds)
        {
            return (JwtStatus.Expired, null);
        }

        if (provider.Audiences.Count > 0 && !token.Audiences.Any(a => provider.Audiences.Any(allowed => SameAudience(a, allowed))))
        {
            return (JwtStatus.AudienceNotAllowed, null);
        }

        var source = _keys[provider];
        var keys = await source.GetKeysAsync(ct).ConfigureAwait(false);
        if (keys is null)
        {
            return (JwtStatus.JwksFetchFail, null);
        }

        var signature = JwtSignature.Verify(token, keys);
        if (signature == JwtStatus.KidAlgMismatch && await source.RefetchForUnknownKeyAsync(ct).ConfigureAwait(false))
        {
            keys = await source.GetKeysAsync(ct).ConfigureAwait(false) ?? [];
            signature = JwtSignature.Verify(token, keys);
        }

        if (signature is not null)
        {
            return (signature, null);
        }

        var add = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(provider.PayloadHeader))
        {
            add.Add(new(provider.PayloadHeader, token.PayloadBase64Url));
        }

        foreach (var (header, claim) in provider.ClaimHeaders)
        {
            if (ClaimText(token, claim) is { Length: > 0 } text)
            {
                add.Add(new(header, text));
            }
        }

        var remove = new List<string>();
        var removeParams = new List<string>();
        if (!provider.Forward)
        {
            if (located.Header is not null)
            {
                remove.Add(located.Header);
            }

            if (located.Param is not null)
            {
                removeParams.Add(located.Param);
            }
        }

        var jwt = new VerifiedJwt { Issuer = token.Issuer, Subject = token.Subject, Payload = token.Payload };
        return (null, new Outcome(jwt, remove, add, removeParams));
    }

    /// <summary>Envoy's claim-to-header text: strings as they are, integers without a fraction, booleans as words.</summary>
    private static string? ClaimText(JwtToken token, string claim)
    {
        var names = claim.Split('.');
        var current = token.Payload;
        foreach (var name in names)
        {
            if (current.ValueKind != System.Text.Json.JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => current.GetString(),
            System.Text.Json.JsonValueKind.Number => current.TryGetInt64(out var l) && l >= 0
                ? l.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : current.GetDouble().ToString("F6", System.Globalization.CultureInfo.InvariantCulture),
            System.Text.Json.JsonValueKind.True => "true",
            System.Text.Json.JsonValueKind.False => "false",
            _ => null,
        };
    }

    // jwt_verify_lib compares audiences without their http(s):// scheme and trailing slash.
    private static bool SameAudience(string a, string b) => Sanitize(a) == Sanitize(b);

    private static string Sanitize(string audience)
    {
        var value = audience;
        if (value.StartsWith("http://", StringComparison.Ordinal))
        {
            value = value[7..];
        }
        else if (value.StartsWith("https://", StringComparison.Ordinal))
        {
            value = value[8..];
        }

        return value.TrimEnd('/');
    }

    /// <summary>
    /// Finds tokens as Envoy's extractor does for a set of providers: header locations (sorted by name and prefix),
    /// then query parameters, then cookies; each location remembers which issuers configured it.
    /// </summary>
    private static List<Located> Extract(IJwtRequest request, IReadOnlyList<JwtProvider> providers)
    {
        var headers = new SortedDictionary<string, (string Name, string Prefix, HashSet<string> Issuers, bool Any)>(StringComparer.Ordinal);
        var queryParams = new SortedDictionary<string, (HashSet<string> Issuers, bool Any)>(StringComparer.Ordinal);
        var cookies = new SortedDictionary<string, (HashSet<string> Issuers, bool Any)>(StringComparer.Ordinal);
        foreach (var provider in providers)
        {
            foreach (var (name, prefix) in provider.EffectiveHeaders)
            {
                var lower = name.ToLowerInvariant();
                var key = lower + prefix;
                if (!headers.TryGetValue(key, out var entry))
                {
                    entry = (lower, prefix, new HashSet<string>(StringComparer.Ordinal), false);
                }

                headers[key] = Add(entry, provider.Issuer);
            }

            foreach (var param in provider.EffectiveParams)
            {
                queryParams[param] = AddIssuer(queryParams.TryGetValue(param, out var e) ? e : ([], false), provider.Issuer);
            }

            foreach (var cookie in provider.FromCookies)
            {
                cookies[cookie] = AddIssuer(cookies.TryGetValue(cookie, out var e) ? e : ([], false), provider.Issuer);
            }
        }

        var tokens = new List<Located>();
        foreach (var (_, (name, prefix, issuers, any)) in headers)
        {
            foreach (var value in request.HeaderValues(name))
            {
                var token = value;
                if (prefix.Length > 0)
                {
                    var at = value.IndexOf(prefix, StringComparison.Ordinal);
                    if (at < 0)
                    {
                        continue;
                    }

                    token = AfterPrefix(value, at + prefix.Length);
                }

                tokens.Add(new Located(token, issuers, any, name, null));
            }
        }

        foreach (var (param, (issuers, any)) in queryParams)
        {
            if (request.QueryParameter(param) is { } value)
            {
                tokens.Add(new Located(value, issuers, any, null, param));
            }
        }

        foreach (var (cookie, (issuers, any)) in cookies)
        {
            if (request.Cookie(cookie) is { } value)
            {
                tokens.Add(new Located(value, issuers, any, null, null));
            }
        }

        return tokens;
    }

    private static (string, string, HashSet<string>, bool) Add((string Name, string Prefix, HashSet<string> Issuers, bool Any) entry, string issuer)
    {
        var (issuers, any) = AddIssuer((entry.Issuers, entry.Any), issuer);
        return (entry.Name, entry.Prefix, issuers, any);
    }

    private static (HashSet<string>, bool) AddIssuer((HashSet<string> Issuers, bool Any) entry, string issuer)
    {
        if (issuer.Length == 0)
        {
            return (entry.Issuers, true);
        }

        entry.Issuers.Add(issuer);
        return entry;
    }

    // Envoy skips to the first base64url-or-dot character after the prefix and takes the rest.
    private static string AfterPrefix(string value, int after)
    {
        for (var i = after; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            {
                return value[i..];
            }
        }

        return value;
    }
}

using Ingress.LocalGateway.Snapshot.Security;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Microsoft.Extensions.Primitives;

namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>
/// One compiled <c>HTTPMatchRequest</c>: every condition must hold (AND). Conditions are checked cheapest first and
/// allocate nothing on the request path.
/// </summary>
public sealed class RequestMatcher
{
    /// <summary>The uri condition; a missing uri is prefix <c>/</c>.</summary>
    public required StringMatcher Path { get; init; }

    public IReadOnlyList<HeaderCondition> Headers { get; init; } = [];
    public IReadOnlyList<QueryCondition> QueryParams { get; init; } = [];
    public StringMatcher? Method { get; init; }
    public StringMatcher? Authority { get; init; }
    public StringMatcher? Scheme { get; init; }

    /// <summary>Prefix <c>/</c> with no header or query condition (Istio's <c>isCatchAllRoute</c>).</summary>
    public bool IsCatchAll => Path.Kind == StringMatchKind.Prefix && Path.Value == "/" && Headers.Count == 0
                              && QueryParams.Count == 0 && Method is null && Authority is null && Scheme is null;

    /// <summary>Whether the request satisfies every condition.</summary>
    public bool Matches(IRoutedRequest request) => FirstMismatch(request).IsNone;

    /// <summary>
    /// The first condition the request fails, in the order they are checked, or <see cref="MatchMismatch.None"/> when
    /// it satisfies every one. The one evaluation both routing and <c>ingress explain</c> use.
    /// </summary>
    public MatchMismatch FirstMismatch(IRoutedRequest request)
    {
        if (!Path.Matches(request.Path))
        {
            return new MatchMismatch(MatchCondition.Uri, 0);
        }

        if (Method is not null && !Method.Matches(request.Method))
        {
            return new MatchMismatch(MatchCondition.Method, 0);
        }

        if (Scheme is not null && !Scheme.Matches(request.Scheme))
        {
            return new MatchMismatch(MatchCondition.Scheme, 0);
        }

        if (Authority is not null && !Authority.Matches(request.Authority))
        {
            return new MatchMismatch(MatchCondition.Authority, 0);
        }

        var headers = Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (!(headers[i].ClaimPath is null ? headers[i].Matches(request.Headers) : headers[i].MatchesClaim(request.Jwt)))
            {
                return new MatchMismatch(MatchCondition.Header, i);
            }
        }

        var query = QueryParams;
        for (var i = 0; i < query.Count; i++)
        {
            if (!query[i].Matches(request.Query))
            {
                return new MatchMismatch(MatchCondition.QueryParam, i);
            }
        }

        return MatchMismatch.None;
    }
}

/// <summary>The kinds of condition of a <see cref="RequestMatcher"/>.</summary>
public enum MatchCondition
{
    None,
    Uri,
    Method,
    Scheme,
    Authority,
    Header,
    QueryParam,
}

/// <summary>A failed condition of a <see cref="RequestMatcher"/>: its kind and, for headers and query parameters, its index.</summary>
public readonly record struct MatchMismatch(MatchCondition Condition, int Index)
{
    /// <summary>Every condition held.</summary>
    public static MatchMismatch None => default;

    public bool IsNone => Condition == MatchCondition.None;
}

/// <summary>A header condition; <see cref="Invert"/> for <c>withoutHeaders</c> (a missing header counts as empty).</summary>
public sealed class HeaderCondition
{
    public required string Name { get; init; }
    public required StringMatcher Matcher { get; init; }
    public bool Invert { get; init; }

    /// <summary>For <c>@request.auth.claims.*</c> keys: the claim path matched against the verified JWT instead of a header.</summary>
    public IReadOnlyList<string>? ClaimPath { get; init; }

    /// <summary>Evaluates a claim condition: any value of the claim (a string, or an element of a list) matches.</summary>
    public bool MatchesClaim(VerifiedJwt? jwt) =>
        ClaimMatch.Matches(jwt, ClaimPath!, Matcher.Kind == StringMatchKind.Present, v => Matcher.Matches(v)) != Invert;

    /// <summary>Evaluates the condition on the request headers.</summary>
    public bool Matches(Microsoft.AspNetCore.Http.IHeaderDictionary headers)
    {
        var present = headers.TryGetValue(Name, out var values);
        if (Matcher.Kind == StringMatchKind.Present)
        {
            return present != Invert;
        }

        if (!present)
        {
            // Envoy's treat_missing_header_as_empty applies to inverted matches only.
            return Invert && !Matcher.Matches("");
        }

        var value = values.Count == 1 ? values[0]! : string.Join(',', (string?[])values!);
        return Matcher.Matches(value) != Invert;
    }
}

/// <summary>A query parameter condition on the raw (undecoded) query string; the first occurrence counts.</summary>
public sealed class QueryCondition
{
    public required string Name { get; init; }
    public required StringMatcher Matcher { get; init; }

    /// <summary>Evaluates the condition on the query string (without <c>?</c>).</summary>
    public bool Matches(string query)
    {
        var rest = query.AsSpan();
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp >= 0 ? rest[..amp] : rest;
            rest = amp >= 0 ? rest[(amp + 1)..] : [];
            var eq = pair.IndexOf('=');
            var key = eq >= 0 ? pair[..eq] : pair;
            if (key.SequenceEqual(Name))
            {
                return Matcher.Matches(eq >= 0 ? pair[(eq + 1)..] : []);
            }
        }

        return false;
    }
}

internal static class StringValuesExtensions
{
    public static string Joined(this StringValues values) => values.Count == 1 ? values[0]! : values.ToString();
}

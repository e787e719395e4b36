using System.Net;
using System.Text;
using Ingress.LocalGateway.Runtime.Security.Jwt;
using Ingress.LocalGateway.Snapshot.Security;
using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Ingress.LocalGateway.Snapshot.Security.Jwt;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Ingress.LocalGateway.Runtime.Security;

/// <summary>What the connection tells about a request, beyond its headers.</summary>
public sealed record ConnectionFacts
{
    public PeerIdentity? Peer { get; init; }
    public required IPAddress PeerIp { get; init; }
    public IPAddress? LocalIp { get; init; }

    /// <summary>The port Envoy would see the connection arrive on (<c>destination.port</c>).</summary>
    public int DestinationPort { get; init; }

    public string? Sni { get; init; }

    /// <summary>The original client address (from <c>X-Forwarded-For</c> as configured).</summary>
    public required IPAddress RemoteIp { get; init; }

    /// <summary><c>http</c> or <c>https</c>, for the realm of <c>www-authenticate</c>.</summary>
    public string Scheme { get; init; } = "http";
}

/// <summary>The outcome of enforcing a workload's security on one request.</summary>
/// <param name="Denied">True when the response was written (401/403) and the request must stop.</param>
/// <param name="Details">Envoy's response code details for a denial.</param>
/// <param name="Jwt">The verified token, for claim-based routing and logs.</param>
public sealed record SecurityOutcome(bool Denied, string? Details, VerifiedJwt? Jwt)
{
    public static SecurityOutcome Allowed { get; } = new(false, null, null);

    /// <summary>Why JWT authentication refused the request (Envoy's status text), or null when it passed.</summary>
    public string? JwtFailure { get; init; }

    /// <summary>What authorization decided, or null when it did not run (no policy, or authentication refused first).</summary>
    public AuthorizationDecision? Authorization { get; init; }
}

/// <summary>
/// Runs Envoy's jwt_authn then RBAC filters on an ASP.NET Core request: verifies tokens (401/403 with Envoy's body
/// and <c>www-authenticate</c>), applies the header changes of verification, then evaluates the authorization
/// policies (403 <c>RBAC: access denied</c>).
/// </summary>
public static class SecurityEnforcer
{
    public static async ValueTask<SecurityOutcome> EnforceAsync(ActiveSecurity security, HttpContext http,
        ConnectionFacts connection, CancellationToken ct)
    {
        if (security.IsEmpty)
        {
            return SecurityOutcome.Allowed;
        }

        var request = http.Request;
        var preflight = HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("origin")
            && request.Headers.ContainsKey("access-control-request-method");
        var result = await security.Authentication.AuthenticateAsync(new HttpRequestJwtSource(request), preflight, ct).ConfigureAwait(false);
        foreach (var name in result.RemoveHeaders)
        {
            request.Headers.Remove(name);
        }

        if (result.Failure is { } failure)
        {
            var realm = $"{connection.Scheme}://{request.Headers.Host}{Truncate(RawTarget(http), 256)}";
            http.Response.Headers.WWWAuthenticate = failure == JwtStatus.Missing
                ? $"Bearer realm=\"{realm}\""
                : $"Bearer realm=\"{realm}\", error=\"invalid_token\"";
            await WriteAsync(http, JwtStatus.HttpStatus(failure), failure).ConfigureAwait(false);
            return new SecurityOutcome(true, JwtStatus.Details(failure), null) { JwtFailure = failure };
        }

        foreach (var (name, value) in result.AddHeaders)
        {
            request.Headers.Append(name, value);
        }

        if (result.RemoveQueryParameters.Count > 0)
        {
            request.QueryString = RemoveParameters(request.QueryString, result.RemoveQueryParameters);
        }

        var authorization = security.Policy.Authorization;
        if (authorization.IsEmpty)
        {
            return new SecurityOutcome(false, null, result.Jwt);
        }

        var attributes = new RequestAttributes
        {
            Peer = connection.Peer,
            PeerIp = Normalize(connection.PeerIp),
            RemoteIp = Normalize(connection.RemoteIp),
            DestinationIp = connection.LocalIp is null ? null : Normalize(connection.LocalIp),
            DestinationPort = connection.DestinationPort,
            Host = request.Headers.Host.ToString(),
            Method = request.Method,
            // The request was normalized once on arrival (RequestCanonicalizer): policies read that path, unchanged.
            Path = PathOf(RawTarget(http)),
            Headers = Snapshot(request.Headers),
            Sni = connection.Sni,
            Jwt = result.Jwt,
        };
        var decision = authorization.Evaluate(attributes);
        if (!decision.Allowed)
        {
            await WriteAsync(http, StatusCodes.Status403Forbidden, AuthorizationEvaluator.DeniedBody).ConfigureAwait(false);
            return new SecurityOutcome(true, decision.Details, result.Jwt) { Authorization = decision };
        }

        return new SecurityOutcome(false, null, result.Jwt) { Authorization = decision };
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static Dictionary<string, string> Snapshot(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values.Count == 1 ? values[0] ?? "" : string.Join(",", values.ToArray());
        }

        return copy;
    }

    private static string RawTarget(HttpContext http)
    {
        var raw = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        return !string.IsNullOrEmpty(raw) && raw[0] == '/'
            ? raw
            : http.Request.Path.ToUriComponent() + http.Request.QueryString.ToUriComponent();
    }

    private static string PathOf(string target)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 ? target[..query] : target;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private static QueryString RemoveParameters(QueryString query, IReadOnlyList<string> names)
    {
        if (!query.HasValue)
        {
            return query;
        }

        var kept = query.Value!.TrimStart('?').Split('&')
            .Where(pair => !names.Contains(Uri.UnescapeDataString(pair.Split('=')[0]), StringComparer.Ordinal))
            .ToArray();
        return kept.Length == 0 ? QueryString.Empty : new QueryString("?" + string.Join('&', kept));
    }

    /// <summary>Writes an Envoy local reply: the status, <c>text/plain</c> and the body.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="values"/> is empty.</summary>
    internal static bool IsEmpty(StringValues values) => values.Count == 0;
}

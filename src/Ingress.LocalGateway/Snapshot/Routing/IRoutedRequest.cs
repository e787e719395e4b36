using Ingress.LocalGateway.Snapshot.Security.Authorization;
using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Snapshot.Routing;

/// <summary>
/// What route matching reads of a request: the canonical request (normalized path, upper-case method) and the JWT
/// verified before routing. The gateway's request implements it; so can anything that asks where a request would go.
/// </summary>
public interface IRoutedRequest
{
    /// <summary>The method (upper case).</summary>
    string Method { get; }

    /// <summary><c>http</c> or <c>https</c>: the scheme of the connection.</summary>
    string Scheme { get; }

    /// <summary>The Host header as sent (port kept).</summary>
    string Authority { get; }

    /// <summary>The normalized path without the query.</summary>
    string Path { get; }

    /// <summary>The query as received, without <c>?</c>.</summary>
    string Query { get; }

    /// <summary>The request headers as the stages before routing left them.</summary>
    IHeaderDictionary Headers { get; }

    /// <summary>The verified JWT, or null when none was presented (for <c>@request.auth.claims</c> matches).</summary>
    VerifiedJwt? Jwt { get; }
}

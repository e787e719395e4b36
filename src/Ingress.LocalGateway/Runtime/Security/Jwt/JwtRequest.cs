using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime.Security.Jwt;

/// <summary>Where tokens are read from in a request: headers, query parameters and cookies.</summary>
public interface IJwtRequest
{
    IReadOnlyList<string> HeaderValues(string name);

    /// <summary>The first value of a query parameter, decoded, or null.</summary>
    string? QueryParameter(string name);

    string? Cookie(string name);
}

/// <summary>Reads tokens from an ASP.NET Core request.</summary>
public sealed class HttpRequestJwtSource(HttpRequest request) : IJwtRequest
{
    public IReadOnlyList<string> HeaderValues(string name) =>
        request.Headers.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!).ToArray() : [];

    public string? QueryParameter(string name) =>
        request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public string? Cookie(string name) => request.Cookies.TryGetValue(name, out var value) ? value : null;
}

using Ingress.LocalGateway.Snapshot.Routing;

namespace Ingress.LocalGateway.Runtime.Routing;

/// <summary>Answers routes whose action is a redirect or a direct response, without an upstream.</summary>
public sealed class LocalActionStage : IRequestStage
{
    /// <inheritdoc />
    public async ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        switch (request.Route!.Action)
        {
            case RedirectAction redirect:
                await LocalReply.WriteAsync(request, redirect.StatusCode, null, "direct_response", [], Location(request, redirect))
                    .ConfigureAwait(false);
                return true;
            case DirectResponseAction direct:
                await LocalReply.WriteAsync(request, direct.StatusCode, null, "direct_response", direct.Body).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The Location of a redirect, built as Envoy's <c>Http::Utility::newUri</c> (source/common/http/utility.cc): the
    /// redirect's scheme or the request's; its authority verbatim, or the request's Host as <see cref="RequestHost"/>
    /// leaves it; then <c>:port</c> when the redirect has one; the path; the original query is kept.
    /// </summary>
    public static string Location(GatewayRequest request, RedirectAction redirect)
    {
        var scheme = redirect.Scheme ?? request.Scheme;
        var host = redirect.Authority ?? RequestHost(request.Authority, scheme, redirect.Port != 0, request.Scheme);
        if (redirect.Port != 0)
        {
            host = host + ":" + redirect.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var query = request.Query;
        string path;
        if (redirect.Path is not null)
        {
            path = redirect.Path;
            var q = path.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                query = path[(q + 1)..];
                path = path[..q];
            }
        }
        else if (redirect.PrefixRewrite is not null)
        {
            path = redirect.PrefixRewrite.Apply(request.Path);
        }
        else
        {
            path = request.Path;
        }

        return query.Length > 0 ? $"{scheme}://{host}{path}?{query}" : $"{scheme}://{host}{path}";
    }

    /// <summary>
    /// Envoy's <c>processRequestHost</c>: the Host as the client wrote it, without its port when the redirect writes
    /// its own, or when the scheme changes and the port is the old scheme's default (<c>:80</c> for http, <c>:443</c>
    /// for https, by x-forwarded-proto, which the edge sets to the connection's scheme). A port that is not the
    /// default, or a default one with the scheme kept, stays.
    /// </summary>
    public static string RequestHost(string host, string newScheme, bool redirectWritesPort, string requestScheme)
    {
        var hostOnly = HostNames.StripPort(host).Length;
        if (hostOnly == host.Length)
        {
            return host;
        }

        var port = host.AsSpan(hostOnly);
        var drop = redirectWritesPort
                   || (newScheme != requestScheme
                       && ((requestScheme == "https" && port is ":443") || (requestScheme == "http" && port is ":80")));
        return drop ? host[..hostOnly] : host;
    }
}

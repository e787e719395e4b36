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

    /// <summary>The Location of a redirect, built as Envoy's <c>newUri</c>: the original query is kept.</summary>
    public static string Location(GatewayRequest request, RedirectAction redirect)
    {
        var scheme = redirect.Scheme ?? request.Scheme;
        var host = redirect.Authority ?? request.Authority;
        if (redirect.ReplacesPort)
        {
            host = HostNames.StripPort(host).ToString();
            var port = redirect.Port;
            if (port != 0 && !(scheme == "http" && port == 80) && !(scheme == "https" && port == 443))
            {
                host = host + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
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
}

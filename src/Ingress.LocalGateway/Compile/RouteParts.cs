using Ingress.Config.Model;
using Ingress.LocalGateway.Snapshot.Routing;

namespace Ingress.LocalGateway.Compile;

/// <summary>Compiles the small parts of routes that Istio's model and the snapshot spell differently.</summary>
public static class RouteParts
{
    /// <summary>
    /// Compiles a StringMatch. An empty match, or regex <c>*</c>, is a presence match (Istio's convention for headers).
    /// </summary>
    public static StringMatcher Matcher(StringMatch match, bool ignoreCase = false)
    {
        if (match.Exact is not null)
        {
            return StringMatcher.Exact(match.Exact, ignoreCase);
        }

        if (match.Prefix is not null)
        {
            return StringMatcher.Prefix(match.Prefix, ignoreCase);
        }

        if (match.Regex is not null && match.Regex != "*")
        {
            return StringMatcher.Regex(match.Regex);
        }

        return StringMatcher.Present;
    }

    /// <summary>Builds a mutation from Istio's set/add/remove, leaving out authority keys (they become rewrites).</summary>
    public static HeaderMutation Mutation(HeaderOperations? operations)
    {
        if (operations is null)
        {
            return HeaderMutation.None;
        }

        var ops = new List<HeaderOperation>();
        foreach (var (name, value) in operations.Set.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!HeaderMutation.IsAuthority(name))
            {
                ops.Add(new HeaderOperation(name.ToLowerInvariant(), value, Append: false));
            }
        }

        foreach (var (name, value) in operations.Add.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!HeaderMutation.IsAuthority(name))
            {
                ops.Add(new HeaderOperation(name.ToLowerInvariant(), value, Append: true));
            }
        }

        var remove = operations.Remove.Where(n => !HeaderMutation.IsAuthority(n)).Select(n => n.ToLowerInvariant()).ToArray();
        return remove.Length == 0 && ops.Count == 0 ? HeaderMutation.None : new HeaderMutation { Remove = remove, Operations = ops };
    }

    /// <summary>The authority a set (preferred) or add of <c>:authority</c>/<c>host</c> asks for, or null.</summary>
    public static string? Authority(HeaderOperations? operations)
    {
        if (operations is null)
        {
            return null;
        }

        foreach (var (name, value) in operations.Set)
        {
            if (HeaderMutation.IsAuthority(name))
            {
                return value;
            }
        }

        foreach (var (name, value) in operations.Add)
        {
            if (HeaderMutation.IsAuthority(name))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// Istio's <c>ApplyRedirect</c> (pilot/pkg/networking/core/route/route.go), the port: the port a redirect asks for
    /// (its <c>port</c>, or the Gateway server's port for <c>derivePort: FROM_REQUEST_PORT</c>; null for none or
    /// <c>FROM_PROTOCOL_DEFAULT</c>) is Envoy's <c>port_redirect</c>, unless it is the default port of the Location's
    /// scheme (the redirect's <c>scheme</c> as written, else https on a server with <c>tls</c> and http on one
    /// without): then 0, and Envoy's <c>newUri</c> leaves the Host's own port as the client wrote it.
    /// </summary>
    public static int RedirectPort(int? requested, string? redirectScheme, bool serverHasTls)
    {
        var scheme = redirectScheme ?? (serverHasTls ? "https" : "http");
        return requested switch
        {
            null => 0,
            80 when scheme == "http" => 0,
            443 when scheme == "https" => 0,
            _ => requested.Value,
        };
    }
}

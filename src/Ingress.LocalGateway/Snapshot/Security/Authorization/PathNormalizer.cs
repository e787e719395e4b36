using System.Text;

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>
/// Istio's default path normalization (<c>BASE</c>: Envoy <c>normalize_path</c>, no slash merging, escaped slashes
/// kept): the query is dropped for matching, percent-encoded unreserved characters are decoded, other escapes get
/// upper-case hex, backslashes become slashes, and <c>.</c>/<c>..</c> segments are resolved. Policies match the
/// result, so <c>/admin/../public</c> cannot slip past a rule about <c>/public</c> or into one about <c>/admin</c>.
/// </summary>
public static class PathNormalizer
{
    /// <summary>Normalizes a request target (path and optional query) to the path policies see.</summary>
    public static string Normalize(string target)
    {
        var query = target.IndexOfAny(['?', '#']);
        var path = query >= 0 ? target[..query] : target;
        if (path.Length == 0)
        {
            return "/";
        }

        var decoded = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%' && i + 2 < path.Length && Uri.IsHexDigit(path[i + 1]) && Uri.IsHexDigit(path[i + 2]))
            {
                var value = (char)Convert.ToInt32(path.Substring(i + 1, 2), 16);
                if (char.IsAsciiLetterOrDigit(value) || value is '-' or '.' or '_' or '~')
                {
                    decoded.Append(value);
                }
                else
                {
                    decoded.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
                }

                i += 2;
            }
            else
            {
                decoded.Append(c == '\\' ? '/' : c);
            }
        }

        return RemoveDotSegments(decoded.ToString());
    }

    private static string RemoveDotSegments(string path)
    {
        var segments = path.Split('/');
        var output = new List<string>(segments.Length);
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            if (segment == ".")
            {
                if (last)
                {
                    output.Add("");
                }
            }
            else if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                if (last)
                {
                    output.Add("");
                }
            }
            else
            {
                output.Add(segment);
            }
        }

        return "/" + string.Join('/', output);
    }
}

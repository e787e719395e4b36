using System.Text;
using System.Text.RegularExpressions;

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>
/// Istio's path templates in <c>paths</c>: <c>{*}</c> matches one path segment, <c>{**}</c> any remainder (Envoy's
/// <c>uri_template</c> matcher).
/// </summary>
internal static class PathTemplate
{
    public static Regex ToRegex(string template)
    {
        var pattern = new StringBuilder("^");
        var i = 0;
        while (i < template.Length)
        {
            if (string.CompareOrdinal(template, i, "{**}", 0, 4) == 0)
            {
                pattern.Append(".*");
                i += 4;
            }
            else if (string.CompareOrdinal(template, i, "{*}", 0, 3) == 0)
            {
                pattern.Append("[^/]+");
                i += 3;
            }
            else
            {
                pattern.Append(Regex.Escape(template[i].ToString()));
                i++;
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }
}

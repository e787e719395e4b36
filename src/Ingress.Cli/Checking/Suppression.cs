using System.Text.RegularExpressions;
using Ingress.Config.Diagnostics;

namespace Ingress.Cli.Checking;

/// <summary>
/// One <c>--suppress CODE=Kind name</c>. The resource is matched as written here (<c>Kind ns/name</c>) or as istioctl
/// writes it (<c>Kind name.ns</c>); <c>*</c> matches any text in either part.
/// </summary>
internal sealed class Suppression
{
    private readonly Regex _code;
    private readonly Regex _resource;

    private Suppression(Regex code, Regex resource)
    {
        _code = code;
        _resource = resource;
    }

    public static Suppression Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            throw new FormatException($"--suppress \"{text}\": write CODE=Kind name, e.g. \"IST0101=VirtualService default/web\"");
        }

        return new Suppression(Glob(text[..equals].Trim()), Glob(text[(equals + 1)..].Trim()));
    }

    public bool Matches(Diagnostic diagnostic)
    {
        if (!_code.IsMatch(diagnostic.Code))
        {
            return false;
        }

        var resource = diagnostic.Resource ?? diagnostic.Location.File;
        if (_resource.IsMatch(resource))
        {
            return true;
        }

        // istioctl names a resource "Kind name.namespace".
        var space = resource.IndexOf(' ', StringComparison.Ordinal);
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        return space > 0 && slash > space &&
               _resource.IsMatch($"{resource[..space]} {resource[(slash + 1)..]}.{resource[(space + 1)..slash]}");
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
}

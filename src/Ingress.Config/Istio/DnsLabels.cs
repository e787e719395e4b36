namespace Ingress.Config.Istio;

/// <summary>
/// A DNS-1123 label as Istio checks one (<c>pkg/config/labels: IsDNS1123Label</c>): 1 to 63 letters, digits and
/// <c>-</c>, starting and ending with a letter or digit. Istio's pattern admits upper-case letters (DNS is
/// case-insensitive); where Kubernetes itself insists on lower case (object names), that is checked apart.
/// </summary>
public static class DnsLabels
{
    /// <summary>Whether <paramref name="value"/> is a DNS-1123 label.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= 63 } &&
        IsAlphanumeric(value[0]) && IsAlphanumeric(value[^1]) &&
        value.All(c => IsAlphanumeric(c) || c == '-');

    private static bool IsAlphanumeric(char c) => char.IsAsciiLetterOrDigit(c);
}

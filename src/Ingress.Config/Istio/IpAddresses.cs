using System.Globalization;
using System.Net;

namespace Ingress.Config.Istio;

/// <summary>
/// IP addresses and CIDR ranges as Istio accepts them: Go's <c>net/netip</c> <c>ParseAddr</c> and <c>ParsePrefix</c>,
/// which Istio's validation uses for Gateway binds, VirtualService and Gateway hosts that are IPs, AuthorizationPolicy
/// <c>ipBlocks</c> and <c>source.ip</c>-style conditions.
/// </summary>
/// <remarks>
/// netip is stricter than <see cref="IPAddress.TryParse(string, out IPAddress)"/>: an IPv4 address is exactly four
/// decimal fields of 0-255 without leading zeros (no <c>1.2.3</c>, <c>01.2.3.4</c> or <c>0x7f.0.0.1</c>); an IPv6
/// address has at most one <c>::</c>, groups of one to four hex digits, an optional IPv4 tail and an optional
/// <c>%zone</c>; no brackets. A prefix is an address without zone, a slash and a decimal bit count without sign or
/// leading zero, at most 32 (IPv4) or 128 (IPv6).
/// </remarks>
public static class IpAddresses
{
    /// <summary>Whether <paramref name="text"/> is an IP address to Go's <c>netip.ParseAddr</c>.</summary>
    public static bool IsAddress(string? text) => TryParseAddress(text, out _);

    /// <summary>Parses an address as Go's <c>netip.ParseAddr</c> does.</summary>
    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c == '.')
            {
                return IsIpv4(text) && IPAddress.TryParse(text, out address!);
            }

            if (c == ':')
            {
                return IsIpv6(text, allowZone: true) && IPAddress.TryParse(text, out address!);
            }
        }

        return false;
    }

    /// <summary>Parses a CIDR range (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) as Go's <c>netip.ParsePrefix</c> does.</summary>
    public static bool TryParsePrefix(string? text, out IPAddress address, out int bits)
    {
        address = IPAddress.None;
        bits = 0;
        var slash = text?.LastIndexOf('/') ?? -1;
        if (text is null || slash < 0)
        {
            return false;
        }

        var addressText = text[..slash];
        var bitsText = text[(slash + 1)..];
        if (addressText.Contains('%', StringComparison.Ordinal) || !TryParseAddress(addressText, out address))
        {
            return false;
        }

        if (bitsText.Length == 0 || bitsText.Length > 3 || !bitsText.All(char.IsAsciiDigit) ||
            (bitsText.Length > 1 && bitsText[0] == '0'))
        {
            return false;
        }

        bits = int.Parse(bitsText, NumberStyles.None, CultureInfo.InvariantCulture);
        return bits <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>Whether <paramref name="text"/> is a CIDR range to Go's <c>netip.ParsePrefix</c>.</summary>
    public static bool IsPrefix(string? text) => TryParsePrefix(text, out _, out _);

    private static bool IsIpv4(ReadOnlySpan<char> s)
    {
        var fields = 0;
        while (true)
        {
            var length = 0;
            while (length < s.Length && char.IsAsciiDigit(s[length]))
            {
                length++;
            }

            if (length is 0 or > 3 || (length > 1 && s[0] == '0') ||
                int.Parse(s[..length], NumberStyles.None, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }

            fields++;
            s = s[length..];
            if (s.IsEmpty)
            {
                return fields == 4;
            }

            if (s[0] != '.' || fields == 4)
            {
                return false;
            }

            s = s[1..];
        }
    }

    private static bool IsIpv6(string text, bool allowZone)
    {
        var s = text.AsSpan();
        var percent = s.IndexOf('%');
        if (percent >= 0)
        {
            if (!allowZone || percent == s.Length - 1)
            {
                return false;
            }

            s = s[..percent];
        }

        var groups = 0;
        var ellipsis = false;
        if (s.StartsWith("::"))
        {
            ellipsis = true;
            s = s[2..];
            if (s.IsEmpty)
            {
                return true;
            }
        }

        while (!s.IsEmpty)
        {
            var length = 0;
            while (length < s.Length && char.IsAsciiHexDigit(s[length]))
            {
                length++;
            }

            if (length < s.Length && s[length] == '.')
            {
                // An IPv4 tail counts as two groups and ends the address.
                if ((groups > 6) || !IsIpv4(s))
                {
                    return false;
                }

                groups += 2;
                s = [];
                break;
            }

            if (length is 0 or > 4)
            {
                return false;
            }

            groups++;
            s = s[length..];
            if (s.IsEmpty)
            {
                break;
            }

            if (s[0] != ':' || s.Length == 1 && !ellipsis)
            {
                return false;
            }

            s = s[1..];
            if (!s.IsEmpty && s[0] == ':')
            {
                if (ellipsis)
                {
                    return false;
                }

                ellipsis = true;
                s = s[1..];
            }
            else if (s.IsEmpty)
            {
                return false;
            }

            if (groups > 8)
            {
                return false;
            }
        }

        return ellipsis ? groups < 8 : groups == 8;
    }
}

using System.Net;
using System.Net.Sockets;
using Ingress.Config.Istio;

namespace Ingress.LocalGateway.Snapshot.Security.Authorization;

/// <summary>An address or CIDR range from <c>ipBlocks</c>, <c>remoteIpBlocks</c>, <c>source.ip</c> and the like.</summary>
internal sealed class IpBlock
{
    private readonly byte[] _network;
    private readonly int _prefixLength;

    private IpBlock(byte[] network, int prefixLength)
    {
        _network = network;
        _prefixLength = prefixLength;
    }

    /// <summary>
    /// Parses <c>10.0.0.1</c>, <c>10.0.0.0/8</c>, <c>::1</c> or <c>fd00::/8</c> as Istio's validation reads them (Go's
    /// <c>netip</c>, <see cref="IpAddresses"/>); null when it is neither.
    /// </summary>
    public static IpBlock? TryParse(string text)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return IpAddresses.TryParsePrefix(text, out var network, out var bits) ? new IpBlock(network.GetAddressBytes(), bits) : null;
        }

        return IpAddresses.TryParseAddress(text, out var address)
            ? new IpBlock(address.GetAddressBytes(), address.GetAddressBytes().Length * 8)
            : null;
    }

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && _network.Length == 4)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        var bytes = address.GetAddressBytes();
        if (bytes.Length != _network.Length)
        {
            return false;
        }

        var full = _prefixLength / 8;
        for (var i = 0; i < full; i++)
        {
            if (bytes[i] != _network[i])
            {
                return false;
            }
        }

        var rest = _prefixLength % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[full] & mask) == (_network[full] & mask);
    }
}

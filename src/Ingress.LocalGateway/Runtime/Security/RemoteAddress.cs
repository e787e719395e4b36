using System.Net;

namespace Ingress.LocalGateway.Runtime.Security;

/// <summary>
/// The original client address Envoy derives from <c>X-Forwarded-For</c> (<c>remote.ip</c>). At a gateway
/// (<c>use_remote_address: true</c>) with <c>numTrustedProxies</c> N = 0 it is the peer; with N &gt; 0 the N-th
/// address from the right. In a sidecar (<c>use_remote_address: false</c>) it is the right-most address, when any.
/// </summary>
public static class RemoteAddress
{
    public static IPAddress Resolve(IPAddress peer, string? forwardedFor, bool useRemoteAddress, int trustedHops)
    {
        if (string.IsNullOrWhiteSpace(forwardedFor) || (useRemoteAddress && trustedHops == 0))
        {
            return peer;
        }

        var entries = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var index = useRemoteAddress ? entries.Length - trustedHops : entries.Length - 1 - trustedHops;
        if (index < 0 || index >= entries.Length)
        {
            return peer;
        }

        return IPAddress.TryParse(entries[index], out var address) ? address : peer;
    }
}

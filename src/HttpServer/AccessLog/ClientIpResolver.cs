using System.Net;

namespace HttpServer.AccessLog;

/// <summary>Finds the real client's address behind the mesh.</summary>
/// <remarks>
/// Order: the first (left-most) entry of <c>X-Forwarded-For</c>, which the edge proxy appends the client to; else
/// <c>X-Envoy-External-Address</c>, which Istio's gateway sets to the client it trusted; else the socket peer.
/// A value that is not an IP address is skipped. These headers are only trustworthy behind a proxy that sets
/// them, which is how this service is deployed; the address is used for logging, never for access decisions.
/// </remarks>
public static class ClientIpResolver
{
    /// <summary>Header appended to by every proxy on the way.</summary>
    public const string ForwardedFor = "X-Forwarded-For";

    /// <summary>Header Envoy sets to the external client's address.</summary>
    public const string EnvoyExternalAddress = "X-Envoy-External-Address";

    /// <summary>Returns the client address as text, or <c>-</c> when none is known.</summary>
    public static string Resolve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;

        var forwarded = headers[ForwardedFor].ToString();
        if (forwarded.Length > 0)
        {
            var first = forwarded.Split(',', 2)[0].Trim();
            if (TryNormalize(first, out var ip))
            {
                return ip;
            }
        }

        if (TryNormalize(headers[EnvoyExternalAddress].ToString().Trim(), out var external))
        {
            return external;
        }

        var peer = context.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return "-";
        }

        return (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
    }

    private static bool TryNormalize(string value, out string ip)
    {
        ip = "";
        if (value.Length == 0 || !IPAddress.TryParse(value, out var address))
        {
            return false;
        }

        ip = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
        return true;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ingress.LocalGateway.Runtime.Edge;

/// <summary>
/// What Envoy's connection manager does to every request at the edge (an Istio gateway: use_remote_address, no trusted
/// hops, so every request is external and an edge request): drops the <c>x-envoy-*</c> headers an external client may
/// not set, appends the peer to x-forwarded-for, sets x-forwarded-proto and x-envoy-external-address, replaces
/// x-request-id with a new one, and serves an <c>Upgrade: h2c</c> request as plain HTTP/1.1.
/// </summary>
public sealed class EdgeHeadersStage : IRequestStage
{
    // ConnectionManagerUtility::cleanInternalHeaders for a request that is not internal, plus the three it drops only at
    // the edge (x-envoy-decorator-operation, x-envoy-downstream-service-cluster/-node) and x-envoy-internal, which it
    // drops from every request. A client could otherwise choose the gateway's retries and timeouts, force a trace, or
    // pose as an internal caller.
    private static readonly string[] ExternalForbidden =
    [
        "x-envoy-decorator-operation", "x-envoy-downstream-service-cluster", "x-envoy-downstream-service-node",
        "x-envoy-expected-rq-timeout-ms", "x-envoy-force-trace", "x-envoy-hedge-on-per-try-timeout", "x-envoy-internal",
        "x-envoy-ip-tags", "x-envoy-max-retries", "x-envoy-original-url", "x-envoy-retriable-header-names",
        "x-envoy-retriable-status-codes", "x-envoy-retry-grpc-on", "x-envoy-retry-on", "x-envoy-upstream-alt-stat-name",
        "x-envoy-upstream-rq-per-try-timeout-ms", "x-envoy-upstream-rq-timeout-alt-response",
        "x-envoy-upstream-rq-timeout-ms", "x-envoy-upstream-stream-duration-ms",
        // Not dropped by Envoy, which overwrites them only when it sets them itself: dropped here so that a client
        // cannot put a path of its choosing into the access log (x-envoy-original-path) or an attempt count upstream.
        "x-envoy-original-path", "x-envoy-attempt-count",
    ];

    /// <inheritdoc />
    public ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var headers = request.Headers;
        foreach (var name in ExternalForbidden)
        {
            headers.Remove(name);
        }

        if (IsH2cUpgrade(request.Http))
        {
            DropH2cUpgrade(request.Http);
        }

        var peer = request.Http.Connection.RemoteIpAddress;
        var peerText = peer is null ? "" : (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
        var forwardedFor = headers["x-forwarded-for"];
        headers["x-forwarded-for"] = forwardedFor.Count == 0 ? peerText : forwardedFor.ToString() + "," + peerText;
        headers["x-forwarded-proto"] = request.Scheme;
        headers["x-envoy-external-address"] = peerText;
        request.RequestId = NewRequestId();
        headers["x-request-id"] = request.RequestId;
        return ValueTask.FromResult(false);
    }

    /// <summary>
    /// A random (version 4) UUID as Envoy's x-request-id, from the shared pseudo-random generator: it identifies a
    /// request, it guards nothing, and <see cref="Guid.NewGuid"/> asks the kernel for random bytes on every call.
    /// </summary>
    internal static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (the high nibble of the third group, little-endian)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes).ToString();
    }

    private static bool IsH2cUpgrade(HttpContext http) =>
        string.Equals(http.Request.Headers.Upgrade.ToString().Trim(), "h2c", StringComparison.OrdinalIgnoreCase);

    // Envoy's HTTP/1 codec (ConnectionImpl::onHeadersCompleteImpl): an upgrade to h2c is not an upgrade; Upgrade,
    // HTTP2-Settings and their Connection tokens are removed and the request is served as HTTP/1.1 (no 101).
    private static void DropH2cUpgrade(HttpContext http)
    {
        var headers = http.Request.Headers;
        headers.Remove("upgrade");
        headers.Remove("http2-settings");
        var kept = headers.Connection.ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(t => !t.Equals("upgrade", StringComparison.OrdinalIgnoreCase) && !t.Equals("http2-settings", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (kept.Length == 0)
        {
            headers.Remove("connection");
        }
        else
        {
            headers.Connection = string.Join(", ", kept);
        }

        // Kestrel decided it was upgradable when it parsed the request; the forwarder must not treat it as one.
        http.Features.Set<IHttpUpgradeFeature>(NotUpgradable.Instance);
    }

    private sealed class NotUpgradable : IHttpUpgradeFeature
    {
        public static NotUpgradable Instance { get; } = new();

        public bool IsUpgradableRequest => false;

        public Task<Stream> UpgradeAsync() => throw new InvalidOperationException("an h2c upgrade is served as HTTP/1.1");
    }
}

using Microsoft.AspNetCore.Http;

namespace Ingress.LocalGateway.Runtime.Edge;

/// <summary>
/// What Envoy's connection manager does to every request at the edge (use_remote_address, no trusted hops): appends the
/// peer to x-forwarded-for, sets x-forwarded-proto and x-envoy-external-address, replaces x-request-id with a new one,
/// and drops the Envoy-internal headers an external client may not set.
/// </summary>
public sealed class EdgeHeadersStage : IRequestStage
{
    private static readonly string[] InternalOnly =
    [
        "x-envoy-decorator-operation", "x-envoy-downstream-service-cluster", "x-envoy-downstream-service-node",
        "x-envoy-expected-rq-timeout-ms", "x-envoy-force-trace", "x-envoy-internal", "x-envoy-ip-tags",
        "x-envoy-max-retries", "x-envoy-retry-on", "x-envoy-retry-grpc-on", "x-envoy-upstream-rq-timeout-ms",
        "x-envoy-upstream-rq-per-try-timeout-ms", "x-envoy-original-path", "x-envoy-attempt-count",
    ];

    /// <inheritdoc />
    public ValueTask<bool> InvokeAsync(GatewayRequest request)
    {
        var headers = request.Http.Request.Headers;
        foreach (var name in InternalOnly)
        {
            headers.Remove(name);
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
}

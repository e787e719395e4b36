using System.Globalization;

namespace Ingress.LocalGateway.Runtime.Tracing;

/// <summary>
/// Envoy's request-id based sampling (Istio's default, <c>useRequestIdForTraceSampling</c>): the first 8 hex digits of
/// x-request-id modulo 10000 below the sampling percentage × 100 means sampled, and the decision is packed into the
/// UUID's version digit (index 14: <c>9</c> sampled, <c>b</c> forced by x-client-trace-id, <c>4</c> not traced) so that
/// every proxy after this one reads the same decision from the request id.
/// </summary>
public static class RequestIdSampling
{
    private const int TraceByte = 14;

    /// <summary>
    /// Decides for a request id the gateway generated (from the id itself, or a random number when
    /// <paramref name="useRequestId"/> is false), returns it with the decision packed, and whether it is traced.
    /// </summary>
    public static string Decide(string requestId, double percentage, bool clientTraceId, bool useRequestId, out bool traced)
    {
        traced = false;
        if (requestId.Length != 36 || requestId[TraceByte] != '4'
            || !uint.TryParse(requestId.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var head))
        {
            return requestId;
        }

        char status;
        if (clientTraceId)
        {
            status = 'b';
        }
        else if ((useRequestId ? head : (uint)Random.Shared.Next()) % 10000 < (uint)Math.Round(Math.Clamp(percentage, 0, 100) * 100))
        {
            status = '9';
        }
        else
        {
            return requestId;
        }

        traced = true;
        return string.Create(36, (requestId, status), static (span, state) =>
        {
            state.requestId.AsSpan().CopyTo(span);
            span[TraceByte] = state.status;
        });
    }
}

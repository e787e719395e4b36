using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HttpServer.AccessLog;

/// <summary>What is logged for one request.</summary>
public sealed record AccessLogEntry
{
    /// <summary>When the request arrived (UTC).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The client's address (see <see cref="ClientIpResolver"/>).</summary>
    public required string ClientIp { get; init; }

    /// <summary>The request method.</summary>
    public required string Method { get; init; }

    /// <summary>The request path, URL-escaped, without the query string (it may carry secrets).</summary>
    public required string Path { get; init; }

    /// <summary>The response status; 499 when the client went away before a response started.</summary>
    public required int Status { get; init; }

    /// <summary>Time from the request's arrival to the end of the response, in milliseconds.</summary>
    public required double DurationMs { get; init; }

    /// <summary>The W3C trace id (32 hex), or null when the request had no trace.</summary>
    public string? TraceId { get; init; }

    /// <summary>Formats the entry as one line, without the line break.</summary>
    public string Format(AccessLogFormat format)
    {
        if (format == AccessLogFormat.Json)
        {
            return JsonSerializer.Serialize(this, AccessLogJsonContext.Default.AccessLogEntry);
        }

        for (var size = 256; ; size *= 2)
        {
            var buffer = ArrayPool<char>.Shared.Rent(size);
            try
            {
                if (TryFormatText(buffer, out var written))
                {
                    return new string(buffer, 0, written);
                }
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Writes the <see cref="AccessLogFormat.Text"/> line into <paramref name="destination"/>; false when it does not fit.</summary>
    /// <remarks>The writer formats into one reused buffer this way, instead of allocating a string per request.</remarks>
    public bool TryFormatText(Span<char> destination, out int written) =>
        destination.TryWrite(CultureInfo.InvariantCulture,
            $"{Time:yyyy-MM-ddTHH:mm:ss.fffZ} {ClientIp} {Method} {Path} {Status} {DurationMs:0.###}ms trace={TraceId ?? "-"}", out written);
}

/// <summary>Source-generated JSON for <see cref="AccessLogEntry"/> (camelCase keys).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AccessLogEntry))]
internal sealed partial class AccessLogJsonContext : JsonSerializerContext;

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ingress.LocalGateway.Runtime.AccessLog;

/// <summary>
/// Istio's default access log formats: <c>EnvoyTextLogFormat</c> (missing values print <c>-</c>) and the JSON
/// encoding with the same fields.
/// </summary>
public static class AccessLogFormatter
{
    /// <summary>Appends one TEXT line, newline included.</summary>
    public static void AppendText(StringBuilder line, RequestRecord r)
    {
        line.Append('[').Append(StartTime(r.StartTime)).Append("] \"")
            .Append(r.Method).Append(' ').Append(r.Path).Append(' ').Append(r.Protocol).Append("\" ")
            .Append(r.ResponseCode.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(r.ResponseFlags ?? "-").Append(' ')
            .Append(r.ResponseDetails ?? "-").Append(' ')
            .Append('-').Append(' ')
            .Append("\"-\" ")
            .Append(r.BytesReceived.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(r.BytesSent.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(r.DurationMs.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(r.UpstreamServiceTime ?? "-").Append(' ')
            .Append('"').Append(r.ForwardedFor ?? "-").Append("\" ")
            .Append('"').Append(r.UserAgent ?? "-").Append("\" ")
            .Append('"').Append(r.RequestId ?? "-").Append("\" ")
            .Append('"').Append(r.Authority ?? "-").Append("\" ")
            .Append('"').Append(r.UpstreamHost ?? "-").Append("\" ")
            .Append(r.UpstreamCluster ?? "-").Append(' ')
            .Append('-').Append(' ')
            .Append(r.DownstreamLocalAddress ?? "-").Append(' ')
            .Append(r.DownstreamRemoteAddress ?? "-").Append(' ')
            .Append(r.RequestedServerName ?? "-").Append(' ')
            .Append(r.RouteName ?? "-").Append('\n');
    }

    /// <summary>One TEXT line without the newline.</summary>
    public static string Text(RequestRecord r)
    {
        var builder = new StringBuilder(256);
        AppendText(builder, r);
        return builder.ToString(0, builder.Length - 1);
    }

    /// <summary>One JSON line (Istio's JSON keys; missing values are null) without the newline.</summary>
    public static string Json(RequestRecord r)
    {
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("start_time", StartTime(r.StartTime));
            json.WriteString("method", r.Method);
            json.WriteString("path", r.Path);
            json.WriteString("protocol", r.Protocol);
            json.WriteNumber("response_code", r.ResponseCode);
            WriteOrNull(json, "response_flags", r.ResponseFlags);
            WriteOrNull(json, "response_code_details", r.ResponseDetails);
            json.WriteNull("connection_termination_details");
            json.WriteNull("upstream_transport_failure_reason");
            json.WriteNumber("bytes_received", r.BytesReceived);
            json.WriteNumber("bytes_sent", r.BytesSent);
            json.WriteNumber("duration", r.DurationMs);
            if (r.UpstreamServiceTime is null)
            {
                json.WriteNull("upstream_service_time");
            }
            else
            {
                json.WriteString("upstream_service_time", r.UpstreamServiceTime);
            }

            WriteOrNull(json, "x_forwarded_for", r.ForwardedFor);
            WriteOrNull(json, "user_agent", r.UserAgent);
            WriteOrNull(json, "request_id", r.RequestId);
            WriteOrNull(json, "authority", r.Authority);
            WriteOrNull(json, "upstream_host", r.UpstreamHost);
            WriteOrNull(json, "upstream_cluster", r.UpstreamCluster);
            json.WriteNull("upstream_local_address");
            WriteOrNull(json, "downstream_local_address", r.DownstreamLocalAddress);
            WriteOrNull(json, "downstream_remote_address", r.DownstreamRemoteAddress);
            WriteOrNull(json, "requested_server_name", r.RequestedServerName);
            WriteOrNull(json, "route_name", r.RouteName);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Envoy's default %START_TIME%: UTC, milliseconds.</summary>
    public static string StartTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}

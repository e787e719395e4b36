using System.Text;

namespace Ingress.LocalGateway.Tests.Infrastructure;

/// <summary>
/// Reads an OTLP <c>ExportTraceServiceRequest</c> (opentelemetry-proto, trace/v1) from its protobuf encoding: just
/// the fields the tests look at (resource service.name, scope name, ids, name, kind, status, attributes).
/// </summary>
public static class OtlpTraceDecoder
{
    public static IEnumerable<ReceivedSpan> Decode(byte[] payload)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var (field, resourceSpans) in Fields(payload))
        {
            if (field != 1)
            {
                continue;
            }

            var service = "";
            var scopes = new List<byte[]>();
            foreach (var (f, value) in Fields(resourceSpans))
            {
                if (f == 1)
                {
                    var attributes = Attributes(value, 1);
                    service = attributes.GetValueOrDefault("service.name", "");
                }
                else if (f == 2)
                {
                    scopes.Add(value);
                }
            }

            foreach (var scopeSpans in scopes)
            {
                var scope = "";
                foreach (var (f, value) in Fields(scopeSpans))
                {
                    if (f == 1)
                    {
                        scope = Fields(value).Where(x => x.Field == 1).Select(x => Encoding.UTF8.GetString(x.Value)).FirstOrDefault() ?? "";
                    }
                    else if (f == 2)
                    {
                        spans.Add(Span(value, service, scope));
                    }
                }
            }
        }

        return spans;
    }

    private static ReceivedSpan Span(byte[] span, string service, string scope)
    {
        string traceId = "", spanId = "", name = "";
        string? parent = null;
        int kind = 0, status = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in Fields(span))
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(value); break;
                case 2: spanId = Convert.ToHexStringLower(value); break;
                case 4: parent = value.Length == 0 ? null : Convert.ToHexStringLower(value); break;
                case 5: name = Encoding.UTF8.GetString(value); break;
                case 6: kind = (int)ToVarint(value); break;
                case 9:
                    var (key, text) = KeyValue(value);
                    attributes[key] = text;
                    break;
                case 15:
                    status = Fields(value).Where(x => x.Field == 3).Select(x => (int)ToVarint(x.Value)).FirstOrDefault();
                    break;
            }
        }

        return new ReceivedSpan(service, scope, traceId, spanId, parent, name, kind, status, attributes);
    }

    private static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (f, value) in Fields(message))
        {
            if (f == field)
            {
                var (key, text) = KeyValue(value);
                result[key] = text;
            }
        }

        return result;
    }

    /// <summary>KeyValue { key = 1; AnyValue value = 2 } with the value as text (string, bool, int or double).</summary>
    private static (string Key, string Value) KeyValue(byte[] message)
    {
        var key = "";
        var text = "";
        foreach (var (f, value) in Fields(message))
        {
            if (f == 1)
            {
                key = Encoding.UTF8.GetString(value);
            }
            else if (f == 2)
            {
                foreach (var (kind, any) in Fields(value))
                {
                    text = kind switch
                    {
                        1 => Encoding.UTF8.GetString(any),
                        2 => ToVarint(any) != 0 ? "true" : "false",
                        3 => ((long)ToVarint(any)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        4 => BitConverter.ToDouble(any).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => text,
                    };
                }
            }
        }

        return (key, text);
    }

    /// <summary>
    /// The fields of a message in order. Varints come back as their bytes re-read by <see cref="ToVarint"/>;
    /// fixed64/fixed32 as their raw bytes; length-delimited as their payload.
    /// </summary>
    private static List<(int Field, byte[] Value)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[])>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    var start = position;
                    ReadVarint(message, ref position);
                    fields.Add((field, message[start..position]));
                    break;
                case 1:
                    fields.Add((field, message[position..(position + 8)]));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    fields.Add((field, message[position..(position + length)]));
                    position += length;
                    break;
                case 5:
                    fields.Add((field, message[position..(position + 4)]));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported protobuf wire type {tag & 7} at byte {position}");
            }
        }

        return fields;
    }

    private static ulong ToVarint(byte[] bytes)
    {
        var position = 0;
        return ReadVarint(bytes, ref position);
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = bytes[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new InvalidDataException("varint longer than 10 bytes");
    }
}

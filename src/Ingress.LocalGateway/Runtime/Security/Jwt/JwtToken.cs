using System.Text;
using System.Text.Json;
using Ingress.LocalGateway.Snapshot.Security.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace Ingress.LocalGateway.Runtime.Security.Jwt;

/// <summary>A compact JWS parsed the way <c>jwt_verify_lib</c> parses it, with its status on failure.</summary>
internal sealed class JwtToken
{
    private static readonly HashSet<string> Algorithms =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    public required string Algorithm { get; init; }
    public string? KeyId { get; init; }
    public string Issuer { get; init; } = "";
    public string Subject { get; init; } = "";
    public IReadOnlyList<string> Audiences { get; init; } = [];
    public long? NotBefore { get; init; }
    public long? Expires { get; init; }
    public required JsonElement Payload { get; init; }
    public required string PayloadBase64Url { get; init; }
    public required byte[] SignedBytes { get; init; }
    public required byte[] Signature { get; init; }

    public static JwtToken? Parse(string token, out string? status)
    {
        status = null;
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            status = JwtStatus.BadFormat;
            return null;
        }

        JsonElement header;
        try
        {
            header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[0])).RootElement.Clone();
            if (header.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException();
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            status = JwtStatus.HeaderParseError;
            return null;
        }

        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            status = JwtStatus.HeaderBadAlg;
            return null;
        }

        if (!Algorithms.Contains(alg.GetString()!))
        {
            status = JwtStatus.HeaderNotImplementedAlg;
            return null;
        }

        string? kid = null;
        if (header.TryGetProperty("kid", out var kidElement))
        {
            if (kidElement.ValueKind != JsonValueKind.String)
            {
                status = JwtStatus.HeaderBadKid;
                return null;
            }

            kid = kidElement.GetString();
        }

        JsonElement payload;
        try
        {
            payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(parts[1])).RootElement.Clone();
            if (payload.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException();
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            status = JwtStatus.PayloadParseError;
            return null;
        }

        byte[] signature;
        try
        {
            signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        }
        catch (FormatException)
        {
            status = JwtStatus.SignatureParseError;
            return null;
        }

        return new JwtToken
        {
            Algorithm = alg.GetString()!,
            KeyId = kid,
            Issuer = String(payload, "iss"),
            Subject = String(payload, "sub"),
            Audiences = Audience(payload),
            NotBefore = Number(payload, "nbf"),
            Expires = Number(payload, "exp"),
            Payload = payload,
            PayloadBase64Url = parts[1],
            SignedBytes = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]),
            Signature = signature,
        };
    }

    private static string String(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static long? Number(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) ? (long)d : null;

    private static string[] Audience(JsonElement payload)
    {
        if (!payload.TryGetProperty("aud", out var aud))
        {
            return [];
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray(),
            _ => [],
        };
    }
}

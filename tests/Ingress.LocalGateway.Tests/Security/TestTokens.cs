using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ingress.LocalGateway.Tests.Security;

/// <summary>
/// An issuer made in the test: an RSA or EC key with a key id, its JWKS, and tokens signed with it (valid, expired,
/// for another audience, tampered…), so no test depends on a fixed key or the clock of another machine.
/// </summary>
public sealed class TestIssuer : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private TestIssuer(string issuer, string kid, RSA? rsa, ECDsa? ec)
    {
        Issuer = issuer;
        KeyId = kid;
        _rsa = rsa;
        _ec = ec;
    }

    public string Issuer { get; }
    public string KeyId { get; }

    public static TestIssuer Rsa(string issuer = "https://issuer.test", string kid = "rsa-1") => new(issuer, kid, RSA.Create(2048), null);

    /// <summary>An issuer whose RSA key is read from a PEM file (the committed test-only key of the local overlay).</summary>
    public static TestIssuer RsaFromPem(string pemPath, string issuer, string kid)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(pemPath));
        return new(issuer, kid, rsa, null);
    }

    public static TestIssuer EcP256(string issuer = "https://issuer.test", string kid = "ec-1") =>
        new(issuer, kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The public key as one JWK.</summary>
    public JsonObject Jwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject { ["kty"] = "RSA", ["kid"] = KeyId, ["alg"] = "RS256", ["use"] = "sig", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        }

        var q = _ec!.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["kid"] = KeyId, ["crv"] = "P-256", ["x"] = B64(q.Q.X!), ["y"] = B64(q.Q.Y!) };
    }

    /// <summary>A JWKS with this issuer's key (and any others).</summary>
    public string Jwks(params TestIssuer[] others) =>
        new JsonObject { ["keys"] = new JsonArray([Jwk(), .. others.Select(o => (JsonNode)o.Jwk())]) }.ToJsonString();

    /// <summary>A token; claims override the defaults (iss, sub, aud, iat, exp in an hour).</summary>
    public string Token(object? claims = null, string? alg = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new JsonObject { ["iss"] = Issuer, ["sub"] = "alice", ["aud"] = "httpserver", ["iat"] = now, ["exp"] = now + 3600 };
        if (claims is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(claims)!.AsObject())
            {
                payload[key] = value?.DeepClone();
            }
        }

        var header = new JsonObject { ["alg"] = alg ?? (_rsa is not null ? "RS256" : "ES256"), ["typ"] = "JWT", ["kid"] = KeyId };
        var signingInput = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = _rsa is not null
            ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + B64(signature);
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}

using System.Security.Cryptography;
using Ingress.LocalGateway.Snapshot.Security.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace Ingress.LocalGateway.Runtime.Security.Jwt;

/// <summary>
/// Checks a token's signature against a key set as <c>jwt_verify_lib</c> does: keys whose <c>kid</c> or <c>alg</c>
/// differ from the token's are skipped; when none is left the status is "key not found", else "verification fails"
/// unless one key verifies.
/// </summary>
internal static class JwtSignature
{
    public static string? Verify(JwtToken token, IReadOnlyList<JsonWebKey> keys)
    {
        var tried = false;
        foreach (var key in keys)
        {
            if (!string.IsNullOrEmpty(token.KeyId) && !string.IsNullOrEmpty(key.Kid) && key.Kid != token.KeyId)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(key.Alg) && key.Alg != token.Algorithm)
            {
                continue;
            }

            var family = token.Algorithm[..2];
            if ((family is "RS" or "PS" && key.Kty != "RSA") || (family == "ES" && key.Kty != "EC"))
            {
                continue;
            }

            if (family == "ES" && key.Crv != Curve(token.Algorithm))
            {
                continue;
            }

            tried = true;
            if (VerifyWith(token, key))
            {
                return null;
            }
        }

        return tried ? JwtStatus.VerificationFail : JwtStatus.KidAlgMismatch;
    }

    private static string Curve(string alg) => alg switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        _ => "P-521",
    };

    private static HashAlgorithmName Hash(string alg) => alg[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static bool VerifyWith(JwtToken token, JsonWebKey key)
    {
        try
        {
            if (key.Kty == "RSA")
            {
                using var rsa = RSA.Create(new RSAParameters
                {
                    Modulus = Base64UrlEncoder.DecodeBytes(key.N),
                    Exponent = Base64UrlEncoder.DecodeBytes(key.E),
                });
                var padding = token.Algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return rsa.VerifyData(token.SignedBytes, token.Signature, Hash(token.Algorithm), padding);
            }

            var curve = key.Crv switch
            {
                "P-256" => ECCurve.NamedCurves.nistP256,
                "P-384" => ECCurve.NamedCurves.nistP384,
                _ => ECCurve.NamedCurves.nistP521,
            };
            using var ec = ECDsa.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(key.X), Y = Base64UrlEncoder.DecodeBytes(key.Y) },
            });
            return ec.VerifyData(token.SignedBytes, token.Signature, Hash(token.Algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}

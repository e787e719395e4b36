namespace Ingress.LocalGateway.Snapshot.Security.Jwt;

/// <summary>
/// The failure texts Envoy's jwt_authn filter answers with: <c>google/jwt_verify_lib</c> <c>getStatusString</c>.
/// </summary>
public static class JwtStatus
{
    public const string Missing = "Jwt is missing";
    public const string NotYetValid = "Jwt not yet valid";
    public const string Expired = "Jwt is expired";
    public const string BadFormat = "Jwt is not in the form of Header.Payload.Signature";
    public const string HeaderParseError = "Jwt header is an invalid Base64url input or an invalid JSON";
    public const string HeaderBadAlg = "Jwt header [alg] field is not a string";
    public const string HeaderNotImplementedAlg = "Jwt header [alg] field value is invalid";
    public const string HeaderBadKid = "Jwt header [kid] field is not a string";
    public const string PayloadParseError = "Jwt payload is an invalid Base64 or an invalid JSON";
    public const string SignatureParseError = "Jwt signature is an invalid Base64";
    public const string UnknownIssuer = "Jwt issuer is not configured";
    public const string AudienceNotAllowed = "Audiences in Jwt are not allowed";
    public const string VerificationFail = "Jwt verification fails";
    public const string KidAlgMismatch = "Jwks doesn't have key to match kid or alg from Jwt";
    public const string JwksFetchFail = "Jwks remote fetch is failed";

    /// <summary>Envoy answers 403 for a disallowed audience and 401 for every other failure.</summary>
    public static int HttpStatus(string status) => status == AudienceNotAllowed ? 403 : 401;

    /// <summary>Envoy's <c>%RESPONSE_CODE_DETAILS%</c>: <c>jwt_authn_access_denied{Jwt_is_expired}</c>.</summary>
    public static string Details(string status) => "jwt_authn_access_denied{" + status.Replace(' ', '_') + "}";
}

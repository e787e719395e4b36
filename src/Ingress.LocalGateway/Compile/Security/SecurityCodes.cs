namespace Ingress.LocalGateway.Compile.Security;

/// <summary>Stable codes of the security findings the local gateway and sidecar report when they load a config.</summary>
public static class SecurityCodes
{
    /// <summary>A field or value of an AuthorizationPolicy the local proxies cannot enforce as written.</summary>
    public const string InvalidAuthorizationPolicy = "ING0501";

    /// <summary>A CUSTOM AuthorizationPolicy (an external authorizer): not supported locally.</summary>
    public const string CustomActionUnsupported = "ING0502";

    /// <summary>A policy that selects workloads with targetRef(s), which the local proxies do not resolve.</summary>
    public const string TargetRefUnsupported = "ING0503";

    /// <summary>A RequestAuthentication rule that cannot be used (no keys, bad JWKS, unreachable jwksUri).</summary>
    public const string InvalidJwtRule = "ING0510";

    // ING0520 was defined for "a PeerAuthentication the sidecar cannot apply" and never reported (validation refuses
    // those first); it stays unused so that the number never means something else.

    /// <summary>Endpoints the gateway should reach with Istio mutual TLS, but it was started without a mesh identity.</summary>
    public const string NoMeshIdentity = "ING0521";
}

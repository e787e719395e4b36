namespace Ingress.LocalGateway.Compile;

/// <summary>
/// The stable codes of the findings the local gateway reports while it compiles a config (documented in
/// docs/gateway.md). Codes are never reused: a retired finding keeps its number. Istio's own IST codes come from
/// <see cref="Ingress.Config.Analysis.Messages"/>, the security findings from <see cref="Security.SecurityCodes"/>.
/// </summary>
public static class GatewayCodes
{
    /// <summary>A field of the YAML the local gateway does not implement (an error unless allowed to be left out).</summary>
    public const string Unsupported = "ING0201";

    /// <summary>An HTTPS server with no certificate at all: its handshakes fail.</summary>
    public const string NoServerCertificate = "ING0210";

    /// <summary>A cipher suite name the gateway does not know; left out, as Istio filters unknown suites.</summary>
    public const string UnknownCipherSuite = "ING0211";

    /// <summary>maxProtocolVersion below minProtocolVersion.</summary>
    public const string ProtocolVersionsInverted = "ING0212";

    /// <summary>An HTTP rule with no route, redirect or directResponse: Istio emits no action for it.</summary>
    public const string RuleWithoutAction = "ING0220";

    /// <summary>A regex that is not a valid RE2 pattern.</summary>
    public const string InvalidRegex = "ING0221";

    /// <summary>A redirect code Istio does not support: it emits the route without an action.</summary>
    public const string UnsupportedRedirectCode = "ING0222";

    /// <summary>directResponse.body.bytes that is not valid base64.</summary>
    public const string InvalidDirectResponseBytes = "ING0223";

    /// <summary>A route timeout that is not a duration.</summary>
    public const string InvalidTimeout = "ING0224";

    /// <summary>A server whose port already serves another protocol: Istio keeps the first, this one is left out.</summary>
    public const string PortProtocolConflict = "ING0230";

    // ING0231 ("an HTTPS host already served on the port") is retired: Istio's mergeGateways rule reports it now, as the
    // analyzers' ING2006/ING2007 (Ingress.Config.Istio.GatewayServerMerge).

    /// <summary>A DestinationRule field with no effect on one machine (one locality, no slow start); informational.</summary>
    public const string NoLocalEffect = "ING0240";

    /// <summary>An upstream TLS credential (DestinationRule tls) that cannot be used: that destination's connections fail.</summary>
    public const string UpstreamTlsCredential = "ING0241";
}

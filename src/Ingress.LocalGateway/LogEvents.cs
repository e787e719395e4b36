namespace Ingress.LocalGateway;

/// <summary>
/// Every log event id of the gateway and the workload proxy, defined once (a test checks that each
/// <c>[LoggerMessage]</c> uses one of these and no two share an id). Ranges: 1000 config and reload, 1100 requests,
/// 1200 listeners and TLS, 3000 the workload proxy.
/// </summary>
public static class LogEvents
{
    /// <summary>The gateway started serving.</summary>
    public const int GatewayStarted = 1000;

    /// <summary>A changed config was applied.</summary>
    public const int ConfigReloaded = 1001;

    /// <summary>A config was refused; the one serving stays.</summary>
    public const int ConfigRefused = 1002;

    /// <summary>A finding (warning or info) of a config that was applied.</summary>
    public const int ConfigFinding = 1003;

    /// <summary>A reload failed with an exception; the config serving stays.</summary>
    public const int ReloadCrashed = 1004;

    /// <summary>A request failed in a way no stage handled (500).</summary>
    public const int UnexpectedFailure = 1100;

    /// <summary>An upstream attempt failed (one line: flags, upstream, error).</summary>
    public const int UpstreamFailure = 1101;

    /// <summary>A mirrored request failed (its outcome never reaches the client).</summary>
    public const int MirrorFailed = 1102;

    /// <summary>A TLS handshake named an SNI no Gateway server on the port answers.</summary>
    public const int SniNoMatch = 1200;

    /// <summary>A TLS handshake failed because the server's credential is unusable.</summary>
    public const int CredentialUnusable = 1201;

    /// <summary>A listener began draining.</summary>
    public const int ListenerDraining = 1202;

    /// <summary>A listener finished draining.</summary>
    public const int ListenerDrained = 1203;

    /// <summary>A Gateway port is listening.</summary>
    public const int ListenerBound = 1210;

    /// <summary>A Gateway port was closed.</summary>
    public const int ListenerClosed = 1211;

    /// <summary>A Gateway port could not be bound.</summary>
    public const int ListenerBindFailed = 1212;

    /// <summary>The workload proxy started.</summary>
    public const int SidecarStarted = 3000;

    /// <summary>A plain-text connection refused by a STRICT port.</summary>
    public const int SidecarPlainTextRefused = 3100;

    /// <summary>A TLS connection refused by a DISABLE port.</summary>
    public const int SidecarTlsRefused = 3101;

    /// <summary>A mutual TLS handshake with a peer failed.</summary>
    public const int SidecarHandshakeFailed = 3102;
}
